import type { MacroInput } from './modules/inbox/index.ts';

/**
 * The demo's words that are not in examples/: the incident's public title, the questions people send to the
 * support inbox, and the saved answers (macros) an agent uses for them, in both languages. They say what
 * the notice (examples/notice.json) and the campaign (examples/campaign.json) say.
 */

/** The fictional shop of examples/: the demo names the company so only when the installation has no name. */
export const DEMO_COMPANY = 'Example Shop';

export const demoIncident = {
  title: 'Demo: customer database exposed (synthetic data)',
  publicTitle: {
    en: 'Security incident affecting customer data',
    es: 'Incidente de seguridad que afecta a datos de clientes',
  },
  description:
    'A misconfigured cloud storage bucket made a backup of the shop’s CRM, order history and app accounts publicly reachable for about three weeks; an outside researcher reported it and access was closed within hours. All people in this incident are fictional.',
};

/** Questions as they arrive after a notice: email, SMS and the contact form; a journalist is in nobody's records. */
export function demoQuestions(incidentId: string) {
  return [
    {
      channel: 'email' as const,
      from: 'tariq.okafor.369@post.example',
      name: 'Tariq Okafor',
      subject: 'Is this email real?',
      body: 'I received an email saying my data was exposed. Is this real or a phishing scam? I am worried.',
      providerMessageId: `demo:${incidentId}:1`,
    },
    {
      channel: 'sms' as const,
      from: '+49 30 30000151',
      body: 'Got your text about the breach. How do I get the free credit monitoring? Where is my activation code?',
      providerMessageId: `demo:${incidentId}:2`,
    },
    {
      channel: 'web' as const,
      from: 'yusuf.nakamura.572@example.net',
      name: 'Yusuf Nakamura',
      body: 'This is unacceptable. Delete my data and my account now, or I will talk to a lawyer.',
      incidentId,
      locale: 'en',
      // A second run of the demo files it once, like a provider's retried delivery.
      providerMessageId: `demo:${incidentId}:3`,
    },
    {
      channel: 'email' as const,
      from: 'journalist@news.example',
      name: 'A. Reporter',
      subject: 'Press inquiry about the data incident',
      body: 'I am a journalist writing a story about the exposed backup. Could you comment on how many customers were affected?',
      providerMessageId: `demo:${incidentId}:4`,
    },
  ];
}

/**
 * Saved answers for the demo's questions. Personal variables (first name, activation code) are filled only
 * once the person is verified, so these open with a plain greeting and say what to do without them.
 */
export const demoMacros: MacroInput[] = [
  {
    name: 'Is this message genuine?',
    locale: 'en',
    subject: 'Re: {{ incident.title }}',
    body: 'Hello,\n\nThank you for checking before acting on it: that is the right thing to do. Every notice we sent about this incident carries a 12-character verification code. Enter the code from your message at {{ link }}/verify and the page tells you whether the message came from us.\n\nWe will never ask for your password, your card number or a one-time code.\n\n{{ company.name }}',
  },
  {
    name: 'Is this message genuine?',
    locale: 'es',
    subject: 'Re: {{ incident.title }}',
    body: 'Hola:\n\nGracias por comprobarlo antes de hacer nada: es lo correcto. Cada aviso que enviamos sobre este incidente lleva un código de verificación de 12 caracteres. Introduce el código de tu mensaje en {{ link }}/verify y la página te dirá si el mensaje es nuestro.\n\nNunca te pediremos tu contraseña, el número de tu tarjeta ni un código de un solo uso.\n\n{{ company.name }}',
  },
  {
    name: 'Free credit monitoring',
    locale: 'en',
    subject: 'Your free credit monitoring',
    body: 'Hello,\n\nThank you for your message. {% if activation_code %}Your activation code is {{ activation_code }}. Enroll at https://monitoring.example.com/enroll (Example Credit Watch) and enter the code when asked.{% else %}The free credit monitoring is for everyone whose identification number was involved, and we did not find an activation code for you. If you think your identification number was involved, reply to this message and we will check.{% endif %}\n\nWhat happened and what you can do: {{ link }}\n\n{{ company.name }}',
  },
  {
    name: 'Free credit monitoring',
    locale: 'es',
    subject: 'Tu vigilancia de crédito gratuita',
    body: 'Hola:\n\nGracias por tu mensaje. {% if activation_code %}Tu código de activación es {{ activation_code }}. Inscríbete en https://monitoring.example.com/enroll (Example Credit Watch) e introduce el código cuando te lo pidan.{% else %}La vigilancia de crédito gratuita es para todas las personas cuyo número de identificación se vio afectado, y no encontramos un código de activación para ti. Si crees que tu número de identificación se vio afectado, responde a este mensaje y lo comprobaremos.{% endif %}\n\nQué ocurrió y qué puedes hacer: {{ link }}\n\n{{ company.name }}',
  },
  {
    name: 'Request to delete your data',
    locale: 'en',
    subject: 'Your request to delete your data',
    body: 'Hello,\n\nWe have received your request to delete your personal data and your account, and we are sorry for what happened. Once we have confirmed who you are, we will complete the request within the time the law allows and tell you when it is done. Some records we must keep by law (for example invoices); we will tell you which, and why.\n\nThe latest about this incident: {{ link }}\n\n{{ company.name }}',
  },
  {
    name: 'Request to delete your data',
    locale: 'es',
    subject: 'Tu solicitud de borrar tus datos',
    body: 'Hola:\n\nHemos recibido tu solicitud de borrar tus datos personales y tu cuenta, y lamentamos lo ocurrido. Cuando hayamos confirmado tu identidad, completaremos la solicitud en el plazo que marca la ley y te avisaremos cuando esté hecha. Algunos registros debemos conservarlos por ley (por ejemplo, las facturas); te diremos cuáles y por qué.\n\nLo último sobre este incidente: {{ link }}\n\n{{ company.name }}',
  },
];

/** The example files name the fictional shop; in an installation with another name, they say that one. */
export function inCompanyWords<T>(value: T, companyName: string): T {
  if (companyName === DEMO_COMPANY) return value;
  return JSON.parse(JSON.stringify(value).replaceAll(DEMO_COMPANY, companyName.replace(/["\\]/g, ''))) as T;
}
