// A released migration is never edited, only followed by a new one: databases created by earlier
// releases have applied it already and will not apply it again. The schema is written once for
// both dialects (src/store/migrations.ts); these are the texts each dialect shipped with, so a
// change to the shared text that alters a released migration of either dialect fails here.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS } from '../../src/store/migrations.js';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

const RELEASED = {
  sqlite: [
    'e43fda53d5cbc4e2f13d9c96e24307dcbf6e1fcde0a151a7fa757426b91578de', // v1
    '4ca4bf5e898ee4e2ea7befe72b990a605781865a7fce9216277637255f1b4ec8', // v2 open_key, preparations
    '5ecb9412114a57cd5cfc79ab0bdc261eda1c2919d75214adfb5944b3bc13786e', // v3 lineage_cut
    'd6c12037ad3ddf1f5e402297aebf3c8d4a62cdc1b323e44a318e8a721c8f85ee', // v4 cancel, move (revision), deliveries rebuilt
    'a9ed24a8e8d9f55dbbfe76347593e513215e93896e4a36829182c746208eff68', // v5 watch_marks, snapshots' created_at
    '318b025a16dae3d34e825a942b3bb7bc6810b4ec723a3a037991413a822c6156', // v6 features of a feature-level notice
  ],
  postgres: [
    '9dd8c2a19c2de6f48e623fd6e4c8037dc3429211dd22b59dae25dc43989d30e2',
    '503f2783b972fe9e21047e81f0191bd16e1cc671b05b1c9749fd3ee0bd57a180',
    '5ecb9412114a57cd5cfc79ab0bdc261eda1c2919d75214adfb5944b3bc13786e',
    'eddeff129cb5a06ca864b13c2074ca485ed2bc40013fe0feed8dfd5ba49548e1',
    '1bd0069277fd9e0191f35ea7778ae31f9fe646bc49fddf99434dd7f10839ab83',
    '318b025a16dae3d34e825a942b3bb7bc6810b4ec723a3a037991413a822c6156',
  ],
};

describe('schema migrations', () => {
  it('keep every released migration of each dialect as it shipped', () => {
    expect(SQLITE_MIGRATIONS.slice(0, RELEASED.sqlite.length).map(sha256)).toEqual(RELEASED.sqlite);
    expect(POSTGRES_MIGRATIONS.slice(0, RELEASED.postgres.length).map(sha256)).toEqual(RELEASED.postgres);
  });

  it('are as many for both dialects, which differ only in types and SQLite’s lease table', () => {
    expect(SQLITE_MIGRATIONS).toHaveLength(POSTGRES_MIGRATIONS.length);
    expect(SQLITE_MIGRATIONS[0]).toContain('CREATE TABLE leases');
    expect(POSTGRES_MIGRATIONS[0]).not.toContain('leases');
    expect(POSTGRES_MIGRATIONS.join('\n')).not.toMatch(/\bINTEGER PRIMARY KEY AUTOINCREMENT\b/);
  });
});
