import type { LocaleText, NoticeContentInput, SiteLocale } from '../../../shared/contracts/notice-site.ts';

/**
 * Starter texts under the standard headings. Square brackets mark what the team must replace; approvers
 * should refuse a version that still has them.
 */
const starters: Record<SiteLocale, LocaleText> = {
  en: {
    title: 'Notice of a data security incident',
    summary:
      'We are writing to tell you about an incident that may involve some of your personal information, what we are doing about it, and the steps you can take.',
    whatHappened:
      'On [date], we discovered that [what happened, in plain words]. We acted at once to [first action taken] and began an investigation with outside security experts.',
    whatInformation:
      'The information involved may include:\n- [names]\n- [email addresses]\n- [other kinds of data]\n\nUse the check on this page to find out whether your information was involved, and what it included.',
    whatWeAreDoing:
      'We [stopped the unauthorized access] and are working with [security experts and law enforcement]. We are also [improvements being made] to help prevent this from happening again.',
    whatYouCanDo:
      '- Check on this page whether you are affected.\n- Change your password, and use a different one on every site.\n- Be wary of emails, texts or calls that ask for personal information: we will never ask for your password.\n- Review your account statements and credit reports for anything you do not recognize.',
    moreInformation:
      'If you have questions, contact us using the details below. We will post updates on this page as we learn more; subscribe to be told when we do.',
    phoneHours: 'Monday to Friday, 9 am to 6 pm [time zone]',
    faq: [
      {
        question: 'How do I know a message about this incident really comes from us?',
        answer:
          'Use the verification check on this page: enter the code from the message, and it tells you whether we sent it.',
      },
      {
        question: 'Do I need to do anything?',
        answer: 'Read “What you can do” above, and check on this page whether you are affected.',
      },
    ],
  },
  // In "tú", like the site's own texts and the guidance the notices give.
  es: {
    title: 'Aviso sobre un incidente de seguridad de datos',
    summary:
      'Te escribimos para informarte de un incidente que puede afectar a parte de tu información personal, de lo que estamos haciendo y de los pasos que puedes seguir.',
    whatHappened:
      'El [fecha] descubrimos que [qué ocurrió, en palabras sencillas]. Actuamos de inmediato para [primera medida tomada] e iniciamos una investigación con expertos externos en seguridad.',
    whatInformation:
      'La información afectada puede incluir:\n- [nombres]\n- [direcciones de correo electrónico]\n- [otros tipos de datos]\n\nUsa la comprobación de esta página para saber si tu información se vio afectada y cuál.',
    whatWeAreDoing:
      'Hemos [detenido el acceso no autorizado] y trabajamos con [expertos en seguridad y las autoridades]. También estamos [mejoras en curso] para evitar que vuelva a ocurrir.',
    whatYouCanDo:
      '- Comprueba en esta página si te afecta.\n- Cambia tu contraseña y usa una distinta en cada sitio.\n- Desconfía de correos, mensajes o llamadas que pidan información personal: nunca te pediremos tu contraseña.\n- Revisa tus extractos bancarios e informes de crédito por si hay algo que no reconoces.',
    moreInformation:
      'Si tienes preguntas, contáctanos con los datos que figuran abajo. Publicaremos novedades en esta página; suscríbete para recibirlas.',
    phoneHours: 'De lunes a viernes, de 9:00 a 18:00 [zona horaria]',
    faq: [
      {
        question: '¿Cómo sé que un mensaje sobre este incidente es realmente nuestro?',
        answer:
          'Usa la verificación de esta página: introduce el código del mensaje y te dirá si lo enviamos nosotros.',
      },
      {
        question: '¿Tengo que hacer algo?',
        answer: 'Lee «Qué puedes hacer» más arriba y comprueba en esta página si te afecta.',
      },
    ],
  },
};

/**
 * One language's starter texts; "What information was involved" comes from the measured exposure when it is
 * known (categories and counts, in words), so a draft starts from what the import found.
 */
export function starterText(locale: SiteLocale, whatInformation?: string | null): LocaleText {
  const text = structuredClone(starters[locale]);
  if (whatInformation) text.whatInformation = whatInformation;
  return text;
}

/** A new notice: English starter texts, and the web form as the one contact channel until others are set. */
export function starterContent(prefill?: Partial<Record<SiteLocale, string | null>>): NoticeContentInput {
  return {
    defaultLocale: 'en',
    locales: { en: starterText('en', prefill?.en) },
    contact: { phone: null, email: null, postalAddress: null, webForm: true },
  };
}

/** Whether a text still holds a "[placeholder]" from the starter texts. */
export function hasPlaceholder(content: NoticeContentInput): boolean {
  return Object.values(content.locales).some((text) => /\[[^\]\n]{2,60}\]/.test(JSON.stringify(text)));
}
