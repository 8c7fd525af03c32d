import { describe, expect, it } from 'vitest';
import {
  buildContext,
  compileTemplate,
  compileTextTemplate,
  type NoticeContext,
  sampleContext,
} from '../../src/server/modules/campaigns/templates/index.ts';

/**
 * Attack: HTML injection into notice emails through `| raw`. First names, like every person field, come
 * from the breached files, so an attacker who planted `<a href="https://evil.example/reset">…</a>` as a
 * name had it sent as a working link, under the company's name, to everyone a template wrote
 * `{{ person.first_name | raw }}` for. Person values now stay escaped whatever the filters; `raw` only
 * keeps the template's own HTML (a capture, whose values were escaped as it rendered) as it is.
 */
const hostile = '<a href="https://evil.example/reset">Reset your password</a>';

function hostileContext(): NoticeContext {
  const sample = sampleContext('en');
  return {
    ...buildContext({
      person: {
        firstName: hostile,
        lastName: hostile,
        email: 'jane@example.com',
        phone: null,
        categories: ['email'],
        risk: 'low',
        jurisdiction: 'FR',
      },
      locale: 'en',
      incident: { title: 'T', description: 'D', occurredOn: null, awareOn: '2025-01-02' },
      link: sample.link,
      activationCode: null,
      verificationCode: 'V',
      contact: sample.contact,
      companyName: 'Shop',
    }),
    blocks: [],
  };
}

const render = (source: string) => compileTemplate(source, 'html').render(hostileContext());

describe('raw in HTML notice templates', () => {
  it.each([
    '{{ person.first_name | raw }}',
    '{{ person.first_name | upcase | downcase | raw }}',
    '{{ "Dear " | append: person.first_name | raw }}',
    '{{ person.last_name | default: "x" | raw }}',
    '{{ person.first_name | split: "|" | first | raw }}',
    '{{ person.first_name | escape | replace: "&lt;", "<" | replace: "&gt;", ">" | replace: "&#34;", \'"\' | raw }}',
    '{% echo person.first_name | raw %}',
    '{% liquid\necho person.full_name | raw\n%}',
    '{% assign n = person.first_name | raw %}{{ n | raw }}',
    '{% assign n = person.first_name %}{% capture c %}{{ n | raw }}{% endcapture %}{{ c | raw }}',
    '{% capture c %}<p>{% endcapture %}{{ person.first_name | default: c | raw }}',
    '{% for p in person.exposed %}{{ person.full_name | raw }}{% endfor %}',
  ])('still escapes a hostile name written with %s', (source) => {
    const html = render(source);
    expect(html).not.toMatch(/<a\s/);
    // Escaped once, or twice where raw in an assign already escaped it: text either way, never a link.
    expect(html).toMatch(/&(amp;)?lt;a href=/);
  });

  it("keeps the template's own HTML built with capture, with the values inside it escaped once", () => {
    const source =
      '{% capture greeting %}<p class="hi">Dear <b>{{ person.first_name }}</b>,</p>{% endcapture %}{{ greeting | raw }}';
    expect(render(source)).toBe(
      '<p class="hi">Dear <b>&lt;a href=&#34;https://evil.example/reset&#34;&gt;Reset your password&lt;/a&gt;</b>,</p>',
    );
    // Passed around and echoed, a capture is still the template's own HTML.
    expect(render('{% capture c %}<i>x</i>{% endcapture %}{% assign d = c %}{% echo d | raw %}')).toBe(
      '<i>x</i>',
    );
    // What a filter makes of it is a value again, and escaped.
    expect(render('{% capture c %}<i>x</i>{% endcapture %}{{ c | upcase | raw }}')).toBe(
      '&lt;I&gt;X&lt;/I&gt;',
    );
    // It still reads as text for conditions and filters.
    expect(
      render(
        '{% capture c %}<i>x</i>{% endcapture %}{{ c | size }} {{ c.size }}{% if c contains "<i>" %} yes{% endif %}',
      ),
    ).toBe('8 8 yes');
  });

  it('is not reachable as a property, and the text of a capture is not readable through it', () => {
    expect(() => compileTemplate('{% capture c %}x{% endcapture %}{{ c.html }}', 'html')).toThrow();
  });
});

describe('raw in plain-text templates and inbox macros (the same sandbox)', () => {
  it('changes nothing: plain text is never HTML', () => {
    expect(compileTemplate('Dear {{ person.first_name | raw }}', 'text').render(hostileContext())).toBe(
      `Dear ${hostile}`,
    );
    const sample = { person: { first_name: 'Alex' } };
    expect(
      compileTextTemplate('Hi {{ person.first_name | raw }}', sample).render({
        person: { first_name: 'A<b>' },
      }),
    ).toBe('Hi A<b>');
  });
});
