import { filters as stockFilters } from 'liquidjs';
import { describe, expect, it } from 'vitest';
import {
  type BuildContextInput,
  buildContext,
  categoryPhrase,
  compileTemplate,
  guidanceFor,
  maskEmail,
  maskPhone,
  type NoticeContext,
  requiredBlocks,
  resolveLocale,
  sampleContext,
  smsSegments,
  supportedLocales,
  systemText,
  TemplateError,
  type TemplateKind,
  validateTemplate,
} from '../../src/server/modules/campaigns/templates/index.ts';
import { stripHtml } from '../../src/server/modules/campaigns/templates/strip-html.ts';
import { categories, highRiskCategories } from '../../src/shared/taxonomy.ts';

/** The problems compileTemplate reports; fails the test when the template compiles. */
function refusal(source: string, kind: TemplateKind = 'text'): TemplateError {
  try {
    compileTemplate(source, kind);
  } catch (error) {
    if (error instanceof TemplateError) return error;
    throw error;
  }
  throw new Error(`expected the template to be refused: ${source}`);
}

function input(
  overrides: Partial<BuildContextInput['person']> = {},
  locale: 'en' | 'es' = 'en',
): BuildContextInput {
  return {
    person: {
      firstName: 'Jane',
      lastName: 'Doe',
      email: 'jane.doe@example.com',
      phone: '+1 (415) 555-0123',
      categories: ['email', 'password'],
      risk: 'high',
      jurisdiction: 'US-CA',
      ...overrides,
    },
    locale,
    incident: {
      title: 'Unauthorized access',
      description: 'Someone used a stolen password.',
      occurredOn: '2025-03-01',
      awareOn: '2025-03-04',
    },
    link: 'https://notice.example.com/p/abc',
    activationCode: 'ACT-1',
    verificationCode: 'VER-1',
    contact: {
      phone: '1-800-555-0100',
      phone_hours: null,
      email: 'help@example.com',
      url: null,
      postal: null,
    },
    companyName: 'Acme',
  };
}

const emailText = `Dear {{ person.first_name }},

On {{ incident.aware_on }} we learned that {{ incident.title | downcase }} exposed {{ person.exposed | join: ", " }}.
{% for g in guidance %}
{{ g.title }}
{% for step in g.steps %}- {{ step }}
{% endfor %}{% endfor %}
{% if activation_code %}Activation code: {{ activation_code }}{% endif %}
{{ link }} (verification code {{ verification_code }})
{% for b in blocks %}{{ b.title }}
{{ b.body }}
{% endfor %}{{ company.name }}`;

describe('compile and render', () => {
  it('renders a person’s context into a text template', () => {
    const template = compileTemplate(emailText, 'text');
    expect(template.kind).toBe('text');
    const out = template.render(buildContext(input()));
    expect(out).toContain('Dear Jane,');
    expect(out).toContain(
      'On March 4, 2025 we learned that unauthorized access exposed your email address, your password.',
    );
    expect(out).toContain('Change your password');
    expect(out).toContain('Activation code: ACT-1');
    expect(out).toContain('Stay alert');
    expect(out).toContain('Acme');
    expect(out).not.toContain('jane.doe@example.com');
  });

  it('renders in Spanish from the same template with a Spanish context', () => {
    const out = compileTemplate(emailText, 'text').render(buildContext(input({}, 'es')));
    expect(out).toContain('4 de marzo de 2025');
    expect(out).toContain('tu dirección de correo electrónico, tu contraseña');
    expect(out).toContain('Cambia tu contraseña');
  });

  it('keeps a subject on one line and trims an SMS', () => {
    const subject = compileTemplate('{{ company.name }}:\n{{ incident.title }}\n', 'subject');
    const context = buildContext(input());
    context.incident.title = 'Line one\r\nBcc: attacker@example.com';
    expect(subject.render(context)).toBe('Acme: Line one Bcc: attacker@example.com');
    expect(compileTemplate('\n  {{ link }}  \n', 'sms').render(context)).toBe(
      'https://notice.example.com/p/abc',
    );
  });

  it('renders what one person lacks as nothing instead of failing their notice', () => {
    const template = compileTemplate('[{{ guidance.first.title }}][{{ contact.url }}]', 'sms');
    const context = buildContext(input({ categories: ['ip_address'], jurisdiction: 'FR' }));
    expect(context.guidance).toEqual([]);
    expect(template.render(context)).toBe('[][]');
  });

  it('never changes the context it is given', () => {
    const template = compileTemplate(
      '{% increment person %}{% increment link %}{% assign guidance = 1 %}{{ link }}',
      'text',
    );
    const context = buildContext(input({ jurisdiction: 'FR' }));
    const before = structuredClone(context);
    expect(template.render(context)).toBe('001');
    expect(context).toEqual(before);
  });

  it('validates without throwing', () => {
    expect(validateTemplate(emailText, 'text')).toEqual([]);
    expect(validateTemplate(emailText, 'html')).toEqual([]);
    expect(validateTemplate('{{ nope }}', 'sms')).toEqual([
      expect.objectContaining({ line: 1, column: 4, variable: 'nope' }),
    ]);
  });
});

describe('errors an author can act on', () => {
  it('gives the line and column of a parse error', () => {
    const error = refusal('Hello,\n{{ person.first_name }}\n\n  {% if %}ok{% endif %}');
    // Column 8 is where the missing condition should be.
    expect(error.problems).toEqual([expect.objectContaining({ line: 4, column: 8 })]);
    expect(error.message).toContain('line 4');
  });

  it('gives the line of an unclosed tag and an unclosed output', () => {
    expect(refusal('a\n{% for g in guidance %}{{ g.title }}').problems[0]).toMatchObject({ line: 2 });
    expect(refusal('a\nb\n{{ link ').problems[0]).toMatchObject({ line: 3 });
  });

  it('names an unknown variable, with the line, even in a branch the sample person does not take', () => {
    const error = refusal(
      'Hi {{ person.first_name }}\n{% if person.risk == "low" %}{{ person.frist_name }}{% endif %}',
    );
    expect(error.problems).toEqual([expect.objectContaining({ line: 2, variable: 'person.frist_name' })]);
    expect(error.message).toContain('person.frist_name');
    expect(error.problems[0]?.message).toContain('first_name');
  });

  it('names every unknown variable at once', () => {
    const error = refusal('{{ incident.titel }}\n{{ unknown_thing }}\n{{ contact.fax }}');
    expect(error.problems.map((p) => [p.line, p.variable])).toEqual([
      [1, 'incident.titel'],
      [2, 'unknown_thing'],
      [3, 'contact.fax'],
    ]);
  });

  it('names a misspelt property of a loop variable', () => {
    const error = refusal('{% for g in guidance %}\n{{ g.titel }}{% endfor %}');
    expect(error.problems).toEqual([expect.objectContaining({ line: 2, variable: 'g.titel' })]);
  });

  it('refuses unknown filters and tags', () => {
    expect(refusal('{{ person.first_name | shout }}').message).toContain('Unknown filter "shout"');
    expect(refusal('{% exec "ls" %}').message).toContain('Unknown tag "exec"');
  });

  it('refuses a source over 100 kB and an absurd number of tags', () => {
    expect(refusal('x'.repeat(100 * 1024 + 1)).message).toContain('100 kB');
    // 'é' is two bytes in UTF-8: the limit is on bytes, not characters.
    expect(refusal('é'.repeat(60 * 1024)).message).toContain('100 kB');
    expect(validateTemplate('x'.repeat(100 * 1024), 'text')).toEqual([]);
    expect(refusal('{{ link }}'.repeat(3001)).message).toContain('3,000');
  });
});

describe('sandbox (invariant 7: templates are data, not code)', () => {
  // Each of these is a classic server-side template injection probe: reading files through partials, or
  // climbing from a value to its constructor and from there to Function (and so to `process`). Status-page
  // software has been taken over exactly this way. Every one must be refused when the template is saved.
  it.each([
    ["{% include 'etc/passwd' %}", 'include'],
    ["{% include '/etc/passwd' %}", 'include'],
    ["{% include '../../../../etc/passwd' %}", 'include'],
    ['{% render %}', 'render'],
    ["{% render 'secrets.json' %}", 'render'],
    ["{% layout 'x' %}", 'layout'],
    ["{% liquid include 'etc/passwd' %}", 'include'],
  ])('refuses file access: %s', (source, tag) => {
    const error = refusal(source);
    expect(error.message).toContain(`{% ${tag} %} tag is not allowed`);
  });

  it.each([
    '{{ person.constructor }}',
    '{{ person.__proto__ }}',
    "{{ person['constructor'] }}",
    '{{ person["__proto__"]["constructor"] }}',
    '{{ incident.title.constructor }}',
    '{{ person.exposed.constructor }}',
    "{{ person.constructor.constructor('return process')() }}",
    '{{ "x" | constructor }}',
    '{{ "x" | __proto__ }}',
    '{{ "x" | toString }}',
    '{% constructor %}',
    '{% __proto__ %}',
    "{{ 'a' | append: x }}",
    '{{ process.env }}',
    '{{ global }}',
    '{{ this }}',
    '{{ self }}',
    '{{ require }}',
    '{% for g in guidance %}{{ forloop.constructor }}{% endfor %}',
    "{% for g in guidance %}{{ forloop['__proto__'] }}{% endfor %}",
    "{% assign k = 'constr' | append: 'uctor' %}{{ person[k] }}",
    "{% assign k = '__pro' | append: 'to__' %}{% for g in guidance %}{{ forloop[k] }}{% endfor %}",
    "{{ guidance | where: '__proto__' | size }}",
    '{% assign __proto__ = person %}',
    '{% capture constructor %}x{% endcapture %}',
  ])('refuses prototype access and unknown names: %s', (source) => {
    expect(refusal(source).problems.length).toBeGreaterThan(0);
  });

  it('reads nothing through inherited names when a key only turns up for one person', () => {
    // The sample person never takes this branch, so the computed keys below pass the check when saving;
    // at send time they must still render nothing rather than a function or a prototype.
    const template = compileTemplate(
      `{% if incident.description == "probe" %}[{{ person[incident.title] }}]` +
        `{% for g in person.exposed %}[{{ forloop[incident.title] }}]{% endfor %}` +
        `[{{ guidance | map: incident.title | join: "" }}]{% endif %}`,
      'text',
    );
    for (const key of [
      'constructor',
      '__proto__',
      'toString',
      'valueOf',
      'hasOwnProperty',
      '__defineGetter__',
    ]) {
      const context = buildContext(input({ categories: ['email'], jurisdiction: 'FR' }));
      context.incident.description = 'probe';
      context.incident.title = key;
      expect(template.render(context)).toBe('[][][]');
    }
  });

  it('escapes output in HTML templates and not in text ones', () => {
    const context = buildContext(input({ firstName: '<img src=x onerror=alert(1)>', jurisdiction: 'FR' }));
    context.incident.title = 'Tom & "Jerry" \'s';
    const html = compileTemplate('<p>Dear {{ person.first_name }}, {{ incident.title }}</p>', 'html').render(
      context,
    );
    expect(html).toBe('<p>Dear &lt;img src=x onerror=alert(1)&gt;, Tom &amp; &#34;Jerry&#34; &#39;s</p>');
    const text = compileTemplate('Dear {{ person.first_name }}', 'text').render(context);
    expect(text).toBe('Dear <img src=x onerror=alert(1)>');
  });

  // Names come from breached files, so they are attacker-controlled: every way of writing a value into an
  // HTML notice must escape it, including the tags Liquid's outputEscape does not cover.
  it.each([
    '{{ person.first_name }}',
    '{% echo person.first_name %}',
    '{% liquid echo person.first_name %}',
    '{% cycle person.first_name, "b" %}',
    '{% assign n = person.first_name | append: "" %}{{ n }}',
    '{% for n in person.exposed %}{{ person.first_name }}{% endfor %}',
  ])('escapes a hostile name written with %s', (source) => {
    const context = buildContext(
      input({ firstName: '<script>x</script>', categories: ['email'], jurisdiction: 'FR' }),
    );
    const html = compileTemplate(source, 'html').render(context);
    expect(html).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(html).not.toContain('<script>');
  });

  it('stops a runaway loop with a clear error instead of hanging', () => {
    const error = refusal('{% for i in (1..100000000) %}{{ i }}{% endfor %}');
    expect(error.problems[0]?.message).toMatch(/too much data/);
    expect(error.problems[0]?.line).toBe(1);
  });

  it('stops loops that multiply, strings that double, and output that floods', () => {
    // Whichever limit trips first on a loaded machine (data or time), the template is refused.
    expect(
      refusal('{% for a in (1..2000) %}{% for b in (1..2000) %}{% endfor %}{% endfor %}').message,
    ).toMatch(/too much data|took more than 1000 ms/);
    const doubling =
      '{% assign s = "xxxxxxxxxx" %}{% for i in (1..40) %}{% capture s %}{{ s }}{{ s }}{% endcapture %}{% endfor %}';
    expect(refusal(doubling).message).toMatch(/too much data|took more than 1000 ms/);
    expect(refusal('{% for i in (1..2000) %}{{ link }}{% endfor %}', 'subject').message).toMatch(
      /more than 1,000 characters/,
    );
  });

  it('stops a loop nest that would run for hours after about a second', () => {
    const nest = `${'{% for a in guidance %}'.repeat(14)}x${'{% endfor %}'.repeat(14)}`;
    const error = refusal(nest);
    expect(error.message).toMatch(/took more than 1000 ms|more than 1,000,000 characters/);
  });

  it('refuses blocks nested deeper than 50 levels, counting {% liquid %} lines', () => {
    const nest = (n: number) => `${'{% if true %}'.repeat(n)}x${'{% endif %}'.repeat(n)}`;
    expect(validateTemplate(nest(50), 'text')).toEqual([]);
    expect(refusal(nest(51)).message).toContain('nests blocks 51 deep');
    const liquid = `{% liquid\n${'if true\n'.repeat(51)}echo "x"\n${'endif\n'.repeat(51)}%}`;
    expect(refusal(liquid).message).toContain('nests blocks 51 deep');
    // Commented-out blocks are not nesting.
    expect(validateTemplate(`{% comment %}${'{% if true %}'.repeat(60)}{% endcomment %}ok`, 'text')).toEqual(
      [],
    );
  });

  it('turns a stack overflow in the parser into a refusal, not a crash', () => {
    // Ranges of ranges recurse in Liquid's tokenizer without any block tag. (With catchAllErrors, Liquid would
    // also copy the source line into one error per level and run out of memory; the sandbox never sets it.)
    const deep = `{{ ${'('.repeat(15_000)}1${'..2)'.repeat(15_000)} }}`;
    expect(refusal(deep).message).toMatch(/nested too deeply/);
  });

  it('counts {% liquid %} lines against the statement limit', () => {
    const source = `{% liquid\n${'echo link\n'.repeat(3001)}%}`;
    expect(refusal(source).message).toContain('3,000');
  });

  it('applies the limits per person at send time too', () => {
    const template = compileTemplate(
      '{% if incident.description == "boom" %}{% for i in (1..100000000) %}x{% endfor %}{% endif %}ok',
      'text',
    );
    const context = buildContext(input({ jurisdiction: 'FR' }));
    expect(template.render(context)).toBe('ok');
    context.incident.description = 'boom';
    expect(() => template.render(context)).toThrow(TemplateError);
  });

  it('strips HTML like the stock filter, in linear time', () => {
    const stock = stockFilters.strip_html as unknown as (this: unknown, value: unknown) => string;
    const self = { context: { memoryLimit: { use() {} } } };
    const pieces = [
      '<',
      '>',
      'a',
      ' ',
      '\n',
      '<script>',
      '</script>',
      '<style>',
      '</style>',
      '<!--',
      '-->',
      '<b>',
    ];
    let seed = 7;
    for (let n = 0; n < 500; n++) {
      let text = '';
      for (let k = 0; k < 12; k++) {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        text += pieces[seed % pieces.length];
      }
      expect(stripHtml(text)).toBe(stock.call(self, text));
    }
    // 200,000 unclosed '<' took the stock filter minutes; this one returns them untouched.
    expect(stripHtml('<'.repeat(200_000))).toHaveLength(200_000);
    expect(
      compileTemplate('{{ "<p>Hi <b>there</b></p>" | strip_html }}', 'text').render(sampleContext('en')),
    ).toMatch(/^Hi there/);
  });
});

describe('required blocks in rendered output', () => {
  const page = '<html><body><p>Dear {{ person.first_name }}</p></body></html>';

  it('adds them before </body> when an HTML template does not place them', () => {
    const out = compileTemplate(page, 'html').render(buildContext(input({ categories: ['national_id'] })));
    expect(out).toMatch(
      /<h2>Contact the credit reporting agencies<\/h2>[\s\S]*<\/section>\n<\/body><\/html>$/,
    );
    expect(out).toContain('Equifax: 1-800-685-1111');
  });

  it('adds them to text and letters, but not to subjects or SMS', () => {
    const context = buildContext(input({ categories: ['national_id'] }));
    expect(compileTemplate('Dear {{ person.first_name }}', 'letter').render(context)).toContain(
      'Contact the credit reporting agencies',
    );
    expect(compileTemplate('{{ link }}', 'sms').render(context)).toBe('https://notice.example.com/p/abc');
  });

  it('does not repeat them when the template places them itself', () => {
    const out = compileTemplate('{% for b in blocks %}[{{ b.id }}]{% endfor %}', 'text').render(
      buildContext(input({ categories: ['national_id'] })),
    );
    expect(out).toBe('[us_remain_vigilant][us_credit_bureaus][us_fraud_alert_freeze]');
  });
});

describe('building the context', () => {
  it('masks identifiers and never carries them in full', () => {
    const context = buildContext(input());
    expect(context.person.masked_email).toBe('j•••@example.com');
    expect(context.person.masked_phone).toBe('•••• 0123');
    const serialized = JSON.stringify(context);
    expect(serialized).not.toContain('jane.doe');
    expect(serialized).not.toContain('555-0123');
  });

  it('localizes phrases, orders guidance most serious first, and adds the blocks', () => {
    const context = buildContext(input({ categories: ['phone', 'email', 'national_id', 'password'] }, 'es'));
    expect(context.person.exposed_categories).toEqual(['email', 'password', 'phone', 'national_id']);
    expect(context.person.exposed).toEqual([
      'tu dirección de correo electrónico',
      'tu contraseña',
      'tu número de teléfono',
      'tu número de Seguro Social',
    ]);
    expect(context.guidance.map((g) => g.category)).toEqual(['password', 'national_id', 'phone', 'email']);
    expect(context.blocks.map((b) => b.id)).toContain('us_credit_bureaus');
    expect(context.incident.occurred_on).toBe('1 de marzo de 2025');
    expect(context.person.locale).toBe('es');
  });

  it('greets a person without a name, and refuses bad input', () => {
    const context = buildContext(input({ firstName: null, lastName: '  ', email: null, phone: null }));
    expect(context.person.first_name).toBe('Customer');
    expect(context.person.full_name).toBe('Customer');
    expect(context.person.masked_email).toBeNull();
    expect(context.person.masked_phone).toBeNull();
    expect(() => buildContext(input({ categories: ['emails'] }))).toThrow(/Unknown data categories "emails"/);
    const badDate = input();
    badDate.incident.awareOn = '2025-02-30';
    expect(() => buildContext(badDate)).toThrow(/YYYY-MM-DD/);
  });

  it('offers a full sample person for previews', () => {
    for (const locale of supportedLocales) {
      const sample: NoticeContext = sampleContext(locale);
      expect(sample.person.full_name).toBe('Alex Sample');
      expect(sample.person.masked_email).toBe('a•••@example.com');
      expect(sample.person.exposed_categories).toEqual(
        expect.arrayContaining(['email', 'password', 'national_id']),
      );
      expect(sample.person.locale).toBe(locale);
      expect(sample.guidance.length).toBeGreaterThan(0);
      expect(sample.blocks.length).toBeGreaterThan(0);
    }
  });
});

describe('locales and system text', () => {
  it.each([
    ['es-MX', ['en', 'es'], 'en', 'es'],
    ['es_mx', ['en', 'es'], 'en', 'es'],
    ['ES', ['en', 'es'], 'en', 'es'],
    ['es', ['en', 'es-MX'], 'en', 'es-MX'],
    ['en-GB', ['en-US', 'en-GB'], 'en-US', 'en-GB'],
    ['fr-CA', ['en', 'es'], 'en', 'en'],
    [null, ['en', 'es'], 'es', 'es'],
    ['  ', ['en', 'es'], 'en', 'en'],
  ] as const)('resolves %j among %j (fallback %j) to %j', (personLocale, available, fallback, expected) => {
    expect(resolveLocale(personLocale, available, fallback)).toBe(expected);
  });

  it('has every system text in every language', () => {
    const keys = [
      'subject_default',
      'verify_hint',
      'link_label',
      'activation_label',
      'unsubscribe_not_applicable',
    ];
    for (const key of keys) {
      const texts = supportedLocales.map((locale) =>
        systemText(key as Parameters<typeof systemText>[0], locale),
      );
      for (const text of texts) expect(text.length).toBeGreaterThan(5);
      expect(new Set(texts).size).toBe(texts.length);
    }
  });
});

describe('masking', () => {
  it.each([
    ['jane.doe@example.com', 'j•••@example.com'],
    ['  J@Example.org ', 'J•••@Example.org'],
    ['😀smile@example.com', '😀•••@example.com'],
    ['not-an-email', '•••'],
  ])('masks the email %j as %s', (email, masked) => {
    expect(maskEmail(email)).toBe(masked);
  });

  it.each([
    ['+1 (415) 555-1234', '•••• 1234'],
    ['0034 612 345 678', '•••• 5678'],
    ['12345', '••••'],
  ])('masks the phone %j as %s', (phone, masked) => {
    expect(maskPhone(phone)).toBe(masked);
  });
});

describe('category phrases and guidance', () => {
  it('names every taxonomy category readably in every language', () => {
    for (const category of categories) {
      const phrases = supportedLocales.map((locale) => categoryPhrase(category, locale));
      for (const phrase of phrases) {
        expect(phrase, category).not.toBe(category);
        expect(phrase, category).toMatch(/^(your|tu|tus|los|la|otra|other) /);
      }
      expect(new Set(phrases).size, category).toBe(phrases.length);
    }
    expect(categoryPhrase('password', 'en')).toBe('your password');
    expect(categoryPhrase('password', 'es')).toBe('tu contraseña');
    expect(categoryPhrase('national_id', 'en', 'US-TX')).toBe('your Social Security number');
    expect(() => categoryPhrase('shoe_size', 'en')).toThrow(/Unknown data category/);
  });

  it('gives concrete steps for every high-risk category in every language', () => {
    for (const category of highRiskCategories) {
      for (const locale of supportedLocales) {
        for (const jurisdiction of ['US-NY', 'DE']) {
          const guidance = guidanceFor(category, locale, jurisdiction);
          expect(guidance, `${category} ${locale} ${jurisdiction}`).not.toBeNull();
          expect(guidance?.title.length).toBeGreaterThan(5);
          expect(guidance?.steps.length, `${category} ${locale} ${jurisdiction}`).toBeGreaterThanOrEqual(2);
        }
      }
      expect(guidanceFor(category, 'es')?.title).not.toBe(guidanceFor(category, 'en')?.title);
    }
  });

  it('names the US agencies for US people only', () => {
    const us = guidanceFor('national_id', 'en', 'US-CA')?.steps.join(' ') ?? '';
    for (const needle of [
      'Equifax (1-800-685-1111)',
      'Experian (1-888-397-3742)',
      'TransUnion (1-888-909-8872)',
    ]) {
      expect(us).toContain(needle);
    }
    expect(us).toContain('www.identitytheft.gov');
    expect(guidanceFor('national_id', 'es', 'US')?.steps.join(' ')).toContain('www.robodeidentidad.gov');
    expect(guidanceFor('national_id', 'en', 'DE')?.steps.join(' ')).not.toContain('Equifax');
    expect(guidanceFor('password', 'en')?.steps.join(' ')).toMatch(/two-step verification/);
    expect(guidanceFor('password', 'es')?.steps.join(' ')).toMatch(/verificación en dos pasos/);
    expect(guidanceFor('medical', 'en', 'US-CA')?.steps.join(' ')).toContain('Explanation of Benefits');
    expect(guidanceFor('payment_card', 'en')?.steps.join(' ')).toMatch(/cancel the card/);
    expect(guidanceFor('ip_address', 'en')).toBeNull();
    expect(guidanceFor('shoe_size', 'en')).toBeNull();
  });
});

describe('required blocks', () => {
  it('gives a US person with a national id the credit agencies, the FTC and the free freeze', () => {
    const blocks = requiredBlocks(['email', 'national_id'], 'US-CA', 'en');
    expect(blocks.map((b) => b.id)).toEqual([
      'us_remain_vigilant',
      'us_credit_bureaus',
      'us_fraud_alert_freeze',
    ]);
    const agencies = blocks.find((b) => b.id === 'us_credit_bureaus');
    expect(agencies?.title).toBe('Contact the credit reporting agencies');
    for (const needle of [
      'Equifax: 1-800-685-1111, www.equifax.com/personal/credit-report-services',
      'Experian: 1-888-397-3742, www.experian.com/help',
      'TransUnion: 1-888-909-8872, www.transunion.com/credit-help',
      'www.identitytheft.gov',
    ]) {
      expect(agencies?.body).toContain(needle);
    }
    expect(blocks.find((b) => b.id === 'us_fraud_alert_freeze')?.body).toMatch(/free/);
  });

  it('does the same for a driver’s license, in Spanish', () => {
    const blocks = requiredBlocks(['drivers_license'], 'US-WA', 'es');
    const agencies = blocks.find((b) => b.id === 'us_credit_bureaus');
    expect(agencies?.title).toBe('Ponte en contacto con las agencias de informes de crédito');
    expect(agencies?.body).toContain('Equifax: 1-800-685-1111');
    expect(agencies?.body).toContain('www.robodeidentidad.gov');
  });

  it('adds what particular states ask for', () => {
    expect(requiredBlocks(['email'], 'US-MA', 'en').map((b) => b.id)).toEqual([
      'us_remain_vigilant',
      'us_credit_bureaus',
      'us_fraud_alert_freeze',
      'us_police_report',
    ]);
    expect(requiredBlocks(['email'], 'US-OR', 'en').map((b) => b.id)).toEqual([
      'us_remain_vigilant',
      'us_or_report_identity_theft',
    ]);
    expect(requiredBlocks(['email'], 'US-TX', 'en').map((b) => b.id)).toEqual(['us_remain_vigilant']);
  });

  it('adds none for an EU person whose email alone was exposed', () => {
    expect(requiredBlocks(['email'], 'DE', 'en')).toEqual([]);
    expect(requiredBlocks(['email'], 'ES', 'es')).toEqual([]);
    expect(buildContext(input({ categories: ['email'], jurisdiction: 'FR' })).blocks).toEqual([]);
  });
});

describe('SMS segments', () => {
  const a = (n: number) => 'a'.repeat(n);

  it.each([
    ['', 'GSM-7', 0, 0],
    [a(160), 'GSM-7', 1, 160],
    [a(161), 'GSM-7', 2, 161],
    [`${a(158)}€`, 'GSM-7', 1, 159],
    [`${a(159)}€`, 'GSM-7', 2, 160],
    [`${a(80)}[]{}`, 'GSM-7', 1, 84],
    [a(306), 'GSM-7', 2, 306],
    [a(307), 'GSM-7', 3, 307],
    // An escape sequence is never split: the € does not fit in the first segment's last septet.
    [`${a(152)}€${a(152)}`, 'GSM-7', 3, 305],
    ['Señor Müller, è tutto à posto? £5 ¿ok? ¡sí!', 'UCS-2', 1, 43],
    ['Hola ñandú', 'UCS-2', 1, 10],
    ['é ñ ü Ä ß É', 'GSM-7', 1, 11],
    ['á'.repeat(70), 'UCS-2', 1, 70],
    ['á'.repeat(71), 'UCS-2', 2, 71],
    ['á'.repeat(134), 'UCS-2', 2, 134],
    ['á'.repeat(135), 'UCS-2', 3, 135],
    ['😀'.repeat(35), 'UCS-2', 1, 35],
    ['😀'.repeat(36), 'UCS-2', 2, 36],
    // A surrogate pair is never split either.
    [`${'á'.repeat(66)}😀${'á'.repeat(66)}`, 'UCS-2', 3, 133],
  ])('counts %j', (text, encoding, segments, characters) => {
    expect(smsSegments(text)).toEqual({ encoding, segments, characters });
  });
});

describe('speed', () => {
  it('renders a compiled email 10,000 times, each for its own person', () => {
    const template = compileTemplate(emailText, 'text');
    const contexts = Array.from({ length: 100 }, (_, i) =>
      buildContext(
        input({ firstName: `Person${i}`, categories: i % 2 ? ['email', 'password'] : ['national_id'] }),
      ),
    );
    let rendered = 0;
    for (let i = 0; i < 10_000; i++) {
      const context = contexts[i % contexts.length]!;
      const out = template.render(context);
      if (out.startsWith(`Dear ${context.person.first_name},`)) rendered++;
    }
    expect(rendered).toBe(10_000);
  });
});
