// manifest.yml must be valid for Slack and match what the code registers.
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ASSISTANT_EVENTS, BOT_EVENTS, BOT_SCOPES, WORKFLOW_EVENTS } from '../../commands/scopes.js';
import { ANNOUNCE_OUTPUT, IMPACT_OUTPUT, WORKFLOW_FUNCTION } from '../../commands/workflow/ids.js';
import { AnnounceInputs, ImpactInputs } from '../../commands/workflow/inputs.js';
import { EXPLAIN_LINEAGE_CALLBACK } from '../../commands/lineage/explain-lineage-shortcut.js';
import { COMMAND, SUBCOMMANDS } from '../../commands/subcommands.js';

const manifest = parse(readFileSync('manifest.yml', 'utf8')) as {
  features: {
    slash_commands: { command: string; usage_hint: string }[];
    shortcuts: { type: string; callback_id: string }[];
    app_home: { home_tab_enabled: boolean };
    unfurl_domains: string[];
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: { interactivity: { is_enabled: boolean }; event_subscriptions: { bot_events: string[] }; function_runtime?: string; org_deploy_enabled?: boolean };
  functions: Record<string, { input_parameters: Record<string, { name: string; is_required?: boolean }>; output_parameters: Record<string, { name: string }> }>;
};
// A copy of shared/reference/slack-manifest.schema.1.0.0.json, so the repository tests on its own.
const schema = JSON.parse(readFileSync('test/fixtures/slack/manifest.schema.1.0.0.json', 'utf8')) as object;

describe('manifest.yml', () => {
  it("validates against Slack's manifest schema", () => {
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
    const validate = ajv.compile(schema);
    const valid = validate(manifest);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('the schema check is real: a broken manifest fails it', () => {
    const validate = new Ajv({ allErrors: true, strict: false, validateFormats: false }).compile(schema);
    expect(validate({ ...manifest, display_information: { name: 'x'.repeat(36) }, surprise: true })).toBe(false);
    expect(validate.errors?.length).toBeGreaterThanOrEqual(2);
  });

  it('declares the slash command the app listens to, with a usage hint naming real subcommands', () => {
    const [command] = manifest.features.slash_commands;
    expect(command?.command).toBe(COMMAND);
    const known = SUBCOMMANDS.flatMap((s) => s.names);
    for (const part of command?.usage_hint.split('|') ?? []) expect(known).toContain(part.trim().split(' ')[0]);
  });

  it('asks for exactly the scopes and events the code uses', () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(Object.keys(BOT_SCOPES).sort());
    expect([...manifest.settings.event_subscriptions.bot_events].sort()).toEqual([...BOT_EVENTS].sort());
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
  });

  it('declares the message shortcut the app listens to, App Home and the console domain to unfurl', () => {
    expect(manifest.features.shortcuts).toEqual([expect.objectContaining({ type: 'message', callback_id: EXPLAIN_LINEAGE_CALLBACK })]);
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.features.unfurl_domains).toEqual(['console.aws.amazon.com']);
  });

  it('the events it subscribes to are the ones the listeners register', () => {
    const registered = readFileSync('commands/lineage/index.ts', 'utf8');
    // message.channels and message.groups both arrive as Bolt's 'message' event.
    // The assistant pane's and workflow steps' events are not app.event listeners (below).
    const elsewhere = new Set<string>([...ASSISTANT_EVENTS, ...WORKFLOW_EVENTS]);
    for (const event of BOT_EVENTS.filter((e) => !elsewhere.has(e))) expect(registered).toContain(`app.event('${event.replace(/^message\..*/, 'message')}'`);
    // The assistant pane's events reach Bolt's Assistant, registered with app.assistant.
    expect(registered).toContain('app.assistant(lineageAssistant(deps))');
  });

  it('declares the assistant pane the Assistant listens on', () => {
    expect((manifest.features as { assistant_view?: { assistant_description: string } }).assistant_view?.assistant_description).toBeTruthy();
    expect(BOT_SCOPES['assistant:write']).toBeDefined();
  });

  it('declares the Workflow Builder steps the app registers, with the inputs it reads and the outputs it completes with', () => {
    expect(manifest.settings.function_runtime).toBe('remote');
    expect(manifest.settings.org_deploy_enabled).toBe(true);
    expect(Object.keys(manifest.functions).sort()).toEqual(Object.values(WORKFLOW_FUNCTION).sort());
    const registered = readFileSync('commands/workflow/index.ts', 'utf8');
    for (const key of Object.keys(WORKFLOW_FUNCTION)) expect(registered).toContain(`app.function(WORKFLOW_FUNCTION.${key},`);
    const steps = [
      { id: WORKFLOW_FUNCTION.checkImpact, inputs: ImpactInputs, outputs: IMPACT_OUTPUT },
      { id: WORKFLOW_FUNCTION.announce, inputs: AnnounceInputs, outputs: ANNOUNCE_OUTPUT },
    ];
    for (const step of steps) {
      const declared = manifest.functions[step.id]!;
      expect(Object.keys(declared.input_parameters).sort(), `${step.id} inputs`).toEqual(Object.keys(step.inputs.shape).sort());
      expect(Object.keys(declared.output_parameters).sort(), `${step.id} outputs`).toEqual(Object.values(step.outputs).sort());
      for (const [key, parameter] of [...Object.entries(declared.input_parameters), ...Object.entries(declared.output_parameters)]) expect(parameter.name).toBe(key);
      // What the parser requires, the manifest requires (an optional input left empty is accepted).
      for (const [key, parameter] of Object.entries(declared.input_parameters)) {
        expect(parameter.is_required ?? false, `${step.id}.${key} required`).toBe(!step.inputs.shape[key as keyof typeof step.inputs.shape].safeParse(undefined).success);
      }
    }
  });
});
