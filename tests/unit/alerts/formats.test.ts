import { describe, expect, it } from 'vitest';
import { renderBody } from '../../../src/alerts/formats.js';
import { articleUpdatedEvent, digestEvent, endpointDisabledEvent, summarizeArticle } from '../../../src/alerts/payload.js';
import { makeArticle } from './article-factory.js';

const at = new Date('2026-11-24T12:00:00Z');
const article = summarizeArticle(makeArticle({ title: 'Sanctions <update> & more', labelSpecs: [{ id: 'targeted-sanctions', score: 0.8123, direction: 'tightened' }] }));

describe('endpoint formats', () => {
  it('json sends the stored body byte for byte', () => {
    const body = '{"type":"article.matched","timestamp":"x","data":{}}';
    expect(renderBody('json', body)).toBe(body);
  });

  it('slack escapes &, < and > in text but keeps links', () => {
    const event = digestEvent({ ruleId: 'r', windowStart: at, windowEnd: new Date(at.getTime() + 3_600_000), articles: [article], publicUrl: 'https://fw.example', at });
    const slack = JSON.parse(renderBody('slack', JSON.stringify(event)));
    expect(slack.text).toBe('1 article matched rule r');
    expect(slack.blocks[1].text.text).toBe('• <https://news.example/a1|Sanctions &lt;update&gt; &amp; more> (targeted-sanctions)');
    expect(slack.blocks.at(-1).type).toBe('context');
  });

  it('an article.updated names who else reported the story', () => {
    const event = articleUpdatedEvent({ ruleId: 'r', article, storyOf: 'a0', alsoReportedBy: [{ ...article, id: 'a0', feeds: [{ id: 'f', name: 'Wire Service', link: null }] }], similarity: 0.91, publicUrl: 'https://fw.example', at });
    const discord = JSON.parse(renderBody('discord', JSON.stringify(event)));
    expect(discord.embeds[0].title).toBe('Update: Sanctions <update> & more');
    expect(discord.embeds[0].description).toContain('Also reported by: Wire Service');
    expect(discord.embeds[0].description).toContain('targeted-sanctions (0.81, tightened)');
    expect(discord.embeds[0].timestamp).toBe(at.toISOString());
  });

  it('endpoint.disabled renders for both chat formats', () => {
    const event = endpointDisabledEvent({ endpointId: 'newsroom', reason: 'the receiver answered 410 Gone', failingSince: null, at, publicUrl: 'https://fw.example' });
    expect(event.data.links).toMatchObject({ deliveries: 'https://fw.example/api/deliveries?endpoint=newsroom' });
    expect(JSON.parse(renderBody('slack', JSON.stringify(event))).text).toBe('Webhook endpoint newsroom disabled');
    expect(JSON.parse(renderBody('discord', JSON.stringify(event))).embeds[0].description).toBe('the receiver answered 410 Gone');
  });
});
