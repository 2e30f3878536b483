// Recording feature-store lineage in SageMaker, as a library: what `lineage-bot record` and
// `lineage-bot infer` run, for TypeScript pipelines and for the bot (proposals it can offer).
export type { LineageAccount, NewArtifact, TrainingJobFacts } from './account.js';
export { createLineageAccount, SageMakerLineageAccount } from './sagemaker-account.js';
export type { RecordRequest } from './request.js';
export { DEFAULT_PROCESSING_CODE_INPUT, DEFAULT_TEST_CHANNEL, DEFAULT_TRAIN_CHANNEL, requestProblems } from './request.js';
export { recordLineage, planIsEmpty, type RecordOptions, type RecordOutcome } from './record.js';
export { RecordingIncomplete, type AppliedCounts } from './apply.js';
export type { ArtifactStep, AssociationStep, PropertyConflict, RecordPlan } from './plan.js';
export { describePlanReport, describeRecording, type PlanReport } from './describe.js';
export { gitLink, repositoryWebUrl, type GitLink, type GitRunner } from './git-link.js';
export { readRecordFile, RecordFileSchema, type RecordFile } from './request-file.js';
export { mergeInputs, resolveRequest, type ResolvedRequest } from './resolve-request.js';
export { proposeLinks, type EvidenceKind, type KnownQuery, type LinkEvidence, type LinkProposal, type ProposalSet, type ProposeRequest } from './infer.js';
export { applyProposals, type ProposalsOutcome } from './infer-apply.js';
export { describeProposal, describeProposals } from './describe-proposals.js';
