// The scale section of `npm run bench` (alone: `npm run bench -- --only=scale`): every surface of
// the bot on the 1× synthetic account and on one ten times its size, side by side. Each account is
// served by the fake SageMaker in a worker (bench/fake-in-worker.ts) at the same 20 ms a call; the
// surfaces are asked by a child process (bench/scale-surfaces.ts) so that its peak RSS is the
// bot's own. Questions are asked about subjects whose answers are the same on both accounts (the
// probe corner of the synthetic account),
// so a cost that grows with the account and not with the answer stands out: such rows are marked.
// Last, a notice to 500 and to 5,000 owners over 4 replicas sharing a PostgreSQL store.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { admin } from '../drill/harness.js';
import type { Snapshot } from '../src/lineage/sources/snapshot-file.js';
import type { QuestionRequest } from '../src/lineage/questions.js';
import { startFakeInWorker } from './fake-in-worker.js';
import { measureNoticeReplicas } from './notices.js';
import { EXPORT_BUDGET_MS, type ScalePlan, type ScaleReport, type SurfaceResult } from './scale-surfaces.js';
import { mb, table } from './stats.js';
import { HOME_OWNER, PROBE_PREFIX, SCALE_10X, SCALE_1X, syntheticAccount, syntheticOwners } from './synthetic-account.js';

const DELAY_MS = 20;
/** Calls growing more than this with the same answer: the cost follows the account. */
const FOLLOWS_ACCOUNT = 1.5;
/** How many times its JSON estimate the cache's entries may take on the heap (see estimateBytes in src/lineage/cache.ts). */
const CACHE_HEAP_FACTOR = 3;
/** Working memory beside the cache and start-up: requests in flight, answers being built, GC slack. */
const WORKING_ALLOWANCE = 128 * 1024 ** 2;
const NOTICE_OWNERS = { '1×': 500, '10×': 5_000 } as const;
const NOTICE_REPLICAS = 4;

type Scale = '1×' | '10×';

export async function runScaleBench(print: (line: string) => void): Promise<{ ok: boolean }> {
  const reports = new Map<Scale, ScaleReport>();
  const plans = new Map<Scale, ScalePlan>();
  for (const [scale, sizes] of [['1×', SCALE_1X], ['10×', SCALE_10X]] as const) {
    let started = performance.now();
    const account = syntheticAccount({ ...sizes, ownerTags: true, trainingJobs: true, probes: true });
    print(
      `Scale ${scale}: ${account.FeatureGroups.length} feature groups (${sizes.derivedFeatureGroups} derived), ${account.Models.length} models, ` +
        `${account.Endpoints.length} endpoints, ${account.Artifacts.length + account.Contexts.length + account.Actions.length + account.TrialComponents.length} lineage entities ` +
        `(built in ${((performance.now() - started) / 1000).toFixed(1)} s)`,
    );
    const plan = choosePlan(account);
    print(`  asking every surface once, cold, at ${DELAY_MS} ms a call…`);
    const fake = await startFakeInWorker(account, { delayMs: DELAY_MS, repeatVertices: true });
    try {
      started = performance.now();
      const report = await inChild({ ...plan, url: fake.url });
      print(`  done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
      reports.set(scale, report);
      plans.set(scale, { ...plan, url: fake.url });
    } finally {
      await fake.close();
    }
  }

  const notices = await noticesOnPostgres(print);
  const one = reports.get('1×') as ScaleReport;
  const ten = reports.get('10×') as ScaleReport;
  const rows = [...one.rows.map((row) => [row, ten.rows.find((r) => r.surface === row.surface)] as const), ...notices];
  const flagged: string[] = [];
  const body = rows.map(([a, b]) => {
    if (!b) return [a.surface, ms(a.ms), '—', '—', `${a.calls}`, '—', '—', `${a.answer} / —`, a.problem ?? ''];
    const callRatio = b.calls / Math.max(1, a.calls);
    const sameAnswer = a.answer === b.answer;
    const byDesign = a.surface.includes('by design') || a.surface.startsWith('notice');
    const follows = sameAnswer && !byDesign && callRatio > FOLLOWS_ACCOUNT;
    if (follows) flagged.push(a.surface);
    const note = [
      a.cutOff || b.cutOff ? `stopped after ${EXPORT_BUDGET_MS / 1000} s on ${[a.cutOff ? '1×' : '', b.cutOff ? '10×' : ''].filter(Boolean).join(' and ')}: calls per second compare` : '',
      follows ? '◀ FOLLOWS THE ACCOUNT' : sameAnswer || byDesign ? '' : `answer ×${(b.answer / Math.max(1, a.answer)).toFixed(1)}`,
      a.problem ? `1×: ${a.problem}` : '',
      b.problem ? `10×: ${b.problem}` : '',
    ]
      .filter(Boolean)
      .join('; ');
    return [a.surface, ms(a.ms), ms(b.ms), times(b.ms / a.ms), `${a.calls}`, `${b.calls}`, times(callRatio), `${a.answer} / ${b.answer}`, note];
  });
  print(`\nEvery surface on the 1× and the 10× account (cold, one at a time, ${DELAY_MS} ms per SageMaker call):`);
  print(table([['surface', '1× ms', '10× ms', 'ratio', '1× calls', '10× calls', 'ratio', 'answer 1× / 10×', ''], ...body]));
  print(`  subjects (1× / 10×): ${subjectsLine(plans)}`);
  print(
    flagged.length > 0
      ? `  ◀ ${flagged.length} surface(s) whose SageMaker calls grow more than ${FOLLOWS_ACCOUNT}× with the same answer — defects: ${flagged.join('; ')}`
      : `  no surface's calls grow more than ${FOLLOWS_ACCOUNT}× with the same answer`,
  );

  const bound = ten.startupRss + CACHE_HEAP_FACTOR * ten.cache.maxBytes + WORKING_ALLOWANCE;
  const within = ten.peakRss <= bound;
  print(
    `\nPeak RSS of the bot's process (resourceUsage maxRSS): 1× ${mb(one.peakRss)}, 10× ${mb(ten.peakRss)}; ` +
      `bound on 10×: start-up ${mb(ten.startupRss)} + ${CACHE_HEAP_FACTOR} × CACHE_MAX_BYTES ${mb(ten.cache.maxBytes)} + ${mb(WORKING_ALLOWANCE)} working allowance = ${mb(bound)}: ` +
      `${within ? 'within' : 'OVER'}. With export --all (which holds the whole account): 1× ${mb(one.peakRssWithExport)}, 10× ${mb(ten.peakRssWithExport)}.`,
  );
  const problems = [...one.rows, ...ten.rows].filter((row) => row.problem);
  return { ok: problems.length === 0 };
}

/**
 * Subjects for every surface, in the probe corner of the account (see SyntheticAccountOptions.probes),
 * which is the same on every scale: each question's answer is the same size on 1× and 10×. The
 * impact is of the account's largest group, whose answer grows with the account by design.
 */
function choosePlan(account: Snapshot): Omit<ScalePlan, 'url'> {
  const probe = (name: string) => name.startsWith(PROBE_PREFIX);
  const readers = groupReaders(account);
  const groups = [...readers].filter(([name]) => probe(name) && !name.includes('-derived-'));
  // The probe group most read (some derived group is likely built from it), and a plain one.
  const consumed = groups.reduce((a, b) => (b[1] > a[1] ? b : a))[0];
  const plain = groups.find(([name]) => name !== consumed)?.[0] ?? consumed;
  const models = account.Models.map((m) => m.ModelName).filter(probe);
  // The probe generator makes every seventh model deep (its training data beyond 10 hops).
  const [deep, shallow] = [models[0] as string, models[1] as string];
  const endpoint = account.Endpoints.map((e) => e.EndpointName).find(probe) as string;
  const raw = account.Artifacts.find((x) => x.ArtifactName === 'ProcessingInputData' && x.Source?.SourceUri.startsWith('s3://bench-raw/') && x.Source.SourceUri.includes(`/${PROBE_PREFIX}`));
  const requests: QuestionRequest[] = [
    { question: 'dependencies', input: shallow, as: 'Model' },
    { question: 'trail', input: deep, as: 'Model' },
    { question: 'owners', input: shallow, as: 'Model' },
    { question: 'consumers', input: consumed },
    { question: 'upstream', input: plain },
    { question: 'features', input: plain },
    { question: 'featureUsage', input: `${consumed}.${consumed.slice(PROBE_PREFIX.length).split('-')[0]}_f0` },
    { question: 'builtFrom', input: raw?.Source?.SourceUri ?? '' },
    { question: 'search', input: shallow },
  ];
  return {
    questions: requests.map((request) => ({ label: `question: ${request.question}`, request })),
    homeUser: HOME_OWNER,
    message: `Is ${shallow} still trained on ${consumed}? And ${endpoint} has answered oddly since Tuesday.`,
    inferModel: shallow,
    largestGroup: [...readers].reduce((a, b) => (b[1] > a[1] ? b : a))[0],
    owners: syntheticOwners(),
    progress: true,
  };
}

/** Associations out of each feature group's fg- artifact: about two per model reading it. */
function groupReaders(account: Snapshot): Map<string, number> {
  return memo(account, 'groupReaders', () => {
    const outbound = new Map<string, number>();
    for (const a of account.Associations) outbound.set(a.SourceArn, (outbound.get(a.SourceArn) ?? 0) + 1);
    return new Map(
      account.Artifacts.flatMap((x) =>
        x.ArtifactType === 'FeatureGroup' && x.Source ? [[x.Source.SourceUri.split('/').pop() as string, outbound.get(x.ArtifactArn) ?? 0] as const] : [],
      ),
    );
  });
}

const memos = new WeakMap<Snapshot, Map<string, Map<string, number>>>();
function memo(account: Snapshot, key: string, build: () => Map<string, number>): Map<string, number> {
  const forAccount = memos.get(account) ?? new Map<string, Map<string, number>>();
  memos.set(account, forAccount);
  const found = forAccount.get(key) ?? build();
  forAccount.set(key, found);
  return found;
}

/** Runs the surfaces in a child process (see bench/scale-surfaces.ts) and returns its report. */
function inChild(plan: ScalePlan): Promise<ScaleReport> {
  const child = fork(fileURLToPath(new URL('./scale-surfaces.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, LINEAGE_SCALE_CHILD: '1' },
  });
  return new Promise<ScaleReport>((resolve, reject) => {
    child.once('message', (message: { report?: ScaleReport; error?: string }) => (message.report ? resolve(message.report) : reject(new Error(message.error))));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the surfaces' process exited (${code}) without a report`)));
    child.send(plan);
  });
}

/** The notice row: 500 and 5,000 owners over NOTICE_REPLICAS replicas on PostgreSQL (bench/notices.ts's measureNoticeReplicas). */
async function noticesOnPostgres(print: (line: string) => void): Promise<(readonly [SurfaceResult, SurfaceResult | undefined])[]> {
  const url = process.env['TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
  const surface = `notice to 500 / 5,000 owners, ${NOTICE_REPLICAS} replicas on PostgreSQL (answer grows by design)`;
  try {
    await admin(url, (client) => client.query('SELECT 1'));
  } catch {
    print(`\n${surface}: skipped: no PostgreSQL`);
    return [];
  }
  const results: SurfaceResult[] = [];
  for (const scale of ['1×', '10×'] as const) {
    const run = await measureNoticeReplicas({ postgresUrl: url, owners: NOTICE_OWNERS[scale], replicas: NOTICE_REPLICAS });
    print(
      `  notice to ${run.owners} owners over ${run.replicas} replicas on PostgreSQL: ${run.delivered} of ${run.total} delivered exactly once, ` +
        `announce ${run.announceSeconds.toFixed(1)} s, delivery ${run.deliverSeconds.toFixed(1)} s, per replica ${run.perReplica.join('/')}`,
    );
    const ok = run.duplicates === 0 && run.lost === 0 && run.delivered === run.total && !run.lineageCut;
    results.push({
      surface,
      ms: (run.announceSeconds + run.deliverSeconds) * 1000,
      calls: 0,
      answer: run.total,
      ...(ok ? {} : { problem: `${run.duplicates} duplicates, ${run.lost} lost${run.lineageCut ? ', lineage cut short' : ''}` }),
    });
  }
  return [[results[0] as SurfaceResult, results[1]]];
}

function subjectsLine(plans: ReadonlyMap<Scale, ScalePlan>): string {
  const one = plans.get('1×');
  const ten = plans.get('10×');
  return (one?.questions ?? [])
    .map((q, i) => `${q.request.question} ${q.request.input} / ${ten?.questions[i]?.request.input ?? '—'}`)
    .concat(`impact ${one?.largestGroup} / ${ten?.largestGroup}`)
    .join('; ');
}

const ms = (value: number) => (value >= 10_000 ? `${(value / 1000).toFixed(0)} s` : `${value.toFixed(0)}`);
const times = (value: number) => `${value.toFixed(1)}×`;
