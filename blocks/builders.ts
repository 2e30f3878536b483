// Each question's builder, exported under the question's name in the registry
// (src/lineage/questions.ts): blocks/index.ts renders an answer with the builder named by its
// `question`, and a question without a line here does not compile. The one line a new question
// adds outside its entry, builder and test: the registry lives in src/, which may not import
// blocks/, so the builder cannot sit in its entry, and a static import is what lets the compiler
// check that every question has one.
export { buildBuiltFrom as builtFrom } from './built-from.js';
export { buildConsumers as consumers } from './consumers.js';
export { buildDependencies as dependencies } from './dependencies.js';
export { buildFeatureUsage as featureUsage } from './feature-usage.js';
export { buildFeatures as features } from './features.js';
export { buildOwners as owners } from './owners.js';
export { buildSearch as search } from './search.js';
export { buildTrail as trail } from './trail.js';
export { buildUpstream as upstream } from './upstream.js';
