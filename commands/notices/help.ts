// The /lineage subcommands of notices, for help and parsing. A leaf module: commands/subcommands.ts
// imports it, and the notice listeners import commands/subcommands.ts.

/** Help entries for the two subcommands, in the shape of SUBCOMMANDS' entries. */
export const NOTICE_SUBCOMMANDS = [
  {
    names: ['impact'],
    usage: 'impact <feature-group>',
    description: 'Who a change to a feature group would affect: downstream models and endpoints, their owners, and owners who cannot be reached. Notifies nobody (only you see it).',
    example: 'impact customers',
  },
  {
    names: ['deprecate'],
    usage: 'deprecate <feature-group>',
    description: 'Announce a deprecation or change to every owner of an affected model or endpoint, with acknowledgements and reminders (feature group owners and lineage admins).',
    example: 'deprecate customers',
  },
] as const;
