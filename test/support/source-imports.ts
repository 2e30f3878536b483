// What the shipped code (src/, commands/, blocks/) imports, read with the TypeScript parser so that
// type-only imports, `export … from` and dynamic imports are told apart the way tsc tells them.
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';

/** The folders `npm run build` compiles (tsconfig.build.json), i.e. the code that runs in production. */
export const SHIPPED_DIRS = ['src', 'commands', 'blocks'] as const;

export interface SourceImport {
  /** Repository-relative path with forward slashes, e.g. `src/record/sagemaker-account.ts`. */
  file: string;
  /** The module specifier as written, e.g. `@aws-sdk/client-sagemaker` or `./x.js`. */
  module: string;
  /** Imported bindings that survive compilation (type-only ones left out); empty for `import 'x'` and `import('x')`. */
  names: string[];
  /** True when tsc erases the whole import: nothing of the module is loaded at run time. */
  typeOnly: boolean;
  /** `import * as x` or `import('x')`: every export is reachable, so `names` cannot tell what is used. */
  wholeModule: boolean;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return tsFiles(path);
    return entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The `module` of an import or require whose specifier is not a string literal: `<computed>` and the file. */
export const COMPUTED = '<computed> ';

/**
 * Modules loaded with a specifier worked out at run time, which no reading of the source can
 * follow: each file that does it, with the package it loads. A new one must be added here.
 */
export const COMPUTED_LOADS: Readonly<Record<string, string>> = {
  // node-sql-parser's per-dialect builds, loaded when first needed.
  'src/lineage/feature-query.ts': 'node-sql-parser',
  // The fonts pictures are drawn with, found by require.resolve.
  'src/picture/render.ts': 'dejavu-fonts-ttf',
};

/** require(…), require.resolve(…) and createRequire(…)(…): each needs the module installed. */
function isRequire(callee: ts.Expression): boolean {
  if (ts.isIdentifier(callee)) return callee.text === 'require';
  if (ts.isPropertyAccessExpression(callee)) return ts.isIdentifier(callee.expression) && callee.expression.text === 'require' && callee.name.text === 'resolve';
  return ts.isCallExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'createRequire';
}

function importsOf(file: string, text: string): SourceImport[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: SourceImport[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const bindings = clause?.namedBindings;
      const named = bindings && ts.isNamedImports(bindings) ? bindings.elements.filter((e) => !e.isTypeOnly).map((e) => (e.propertyName ?? e.name).text) : [];
      const names = [...(clause?.name && !clause.isTypeOnly ? ['default'] : []), ...named];
      const namespace = Boolean(bindings && ts.isNamespaceImport(bindings) && !clause?.isTypeOnly);
      // `import {}`-less side-effect imports load the module; `import type` and all-type braces do not.
      const typeOnly = clause !== undefined && (clause.isTypeOnly || (names.length === 0 && !namespace));
      found.push({ file, module: node.moduleSpecifier.text, names, typeOnly, wholeModule: namespace });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.exportClause;
      const names = clause && ts.isNamedExports(clause) ? clause.elements.filter((e) => !e.isTypeOnly).map((e) => (e.propertyName ?? e.name).text) : [];
      const whole = clause === undefined || ts.isNamespaceExport(clause);
      found.push({ file, module: node.moduleSpecifier.text, names, typeOnly: node.isTypeOnly || (!whole && names.length === 0), wholeModule: whole && !node.isTypeOnly });
    } else if (ts.isCallExpression(node) && (node.expression.kind === ts.SyntaxKind.ImportKeyword || isRequire(node.expression))) {
      // import('x'), require('x'), require.resolve('x') and createRequire(…)('x') need the module too.
      const [argument] = node.arguments;
      const module = argument && ts.isStringLiteralLike(argument) ? argument.text : `${COMPUTED}${file}`;
      found.push({ file, module, names: [], typeOnly: false, wholeModule: true });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Every import of every shipped TypeScript file, relative to `root` (the repository). */
export function shippedImports(root = process.cwd()): SourceImport[] {
  return SHIPPED_DIRS.flatMap((dir) =>
    tsFiles(join(root, dir)).flatMap((path) => importsOf(relative(root, path).split(sep).join('/'), readFileSync(path, 'utf8'))),
  );
}

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`; undefined for relative paths and Node built-ins. */
export function packageOf(module: string): string | undefined {
  if (module.startsWith('.') || module.startsWith('/') || module.startsWith('node:') || module.startsWith(COMPUTED)) return undefined;
  if (builtinModules.includes(module.split('/')[0] ?? '')) return undefined;
  const parts = module.split('/');
  return module.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}
