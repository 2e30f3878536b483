// Text as Slack sends it, read into plain text: Slack's markup (<url|label> links, <@U…> and
// <#C…|name> mentions, <!here>) and its entities (&amp; &lt; &gt;) are Slack's, so they are read
// here, in the Slack layer; the domain (src/lineage/text-references.ts) is handed plain text.
import type { MessageText } from '../src/lineage/text-references.js';

/**
 * Slack sends message and command text with `&`, `<` and `>` as `&amp;`, `&lt;` and `&gt;` (a
 * literal `<` would start its markup). Decoded once what is meant has been picked out, so an S3
 * key with `&` in it is looked up as it is named.
 */
export function decodeSlackEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * A link Slack labelled, `<https://…|customers>`, as the link alone, `<https://…>`: the label
 * (which may hold spaces) is Slack's display, the link is what was meant.
 */
export function withoutLinkLabels(text: string): string {
  return text.replace(/<((?:https?|s3):\/\/[^|>\s]+)\|[^>]*>/g, '<$1>');
}

/**
 * A message's text as plain text, and the links Slack marked in it (`<url>` or `<url|label>`),
 * each decoded. Mentions, channel links and labels are not part of what the message names: they
 * become spaces.
 */
export function readSlackText(text: string): MessageText {
  const links = [...text.matchAll(/<((?:https?|s3):\/\/[^|>\s]+)(?:\|[^>]*)?>/g)].map((m) => decodeSlackEntities(m[1] as string));
  return { plain: decodeSlackEntities(text.replace(/<[^>]*>/g, ' ')), links };
}
