// Longer than ~400 lines on purpose: data, the advice per category and locale that legal reviews in one place.
import { type Category, isCategory } from '../../../../shared/taxonomy.ts';
import { isUsJurisdiction } from './category-phrases.ts';
import type { Locale } from './locales.ts';

/**
 * "What you can do", per data category: concrete actions a person can take today. Steps that name a
 * country's agencies are kept apart (`us`, `elsewhere`) so a person in Spain is not told to call Equifax US.
 * Phone numbers and sites are the ones the agencies publish (FTC, IRS, State Department, the three
 * nationwide credit bureaus); they change rarely, but legal should re-check them before each campaign.
 * `null` means exposure of that category alone calls for no action beyond the notice itself.
 */
interface GuidanceText {
  title: string;
  /** Shown to everyone. */
  steps: string[];
  /** Shown to people in the US (and when no jurisdiction is given). */
  us?: string[];
  /** Shown to people outside the US. */
  elsewhere?: string[];
}

const BUREAUS_EN = 'Equifax (1-800-685-1111), Experian (1-888-397-3742) and TransUnion (1-888-909-8872)';
const BUREAUS_ES = 'Equifax (1-800-685-1111), Experian (1-888-397-3742) y TransUnion (1-888-909-8872)';
const TWO_STEP_EN =
  'Turn on two-step verification (also called two-factor authentication) wherever it is offered; an authenticator app or security key is safer than codes sent by text message.';
const TWO_STEP_ES =
  'Activa la verificación en dos pasos (también llamada autenticación de dos factores) en todos los servicios que la ofrezcan; una aplicación de autenticación o una llave de seguridad es más segura que los códigos por SMS.';
const REPORT_US_EN =
  'If you think someone is using your information, report it and get a personal recovery plan at www.identitytheft.gov or 1-877-438-4338.';
const REPORT_US_ES =
  'Si crees que alguien está usando tu información, denúncialo y obtén un plan de recuperación personalizado en www.robodeidentidad.gov o llamando al 1-877-438-4338.';

const guidance: Record<Category, Record<Locale, GuidanceText> | null> = {
  email: {
    en: {
      title: 'Watch for phishing',
      steps: [
        'Be careful with unexpected emails that ask you to click a link, open an attachment, sign in, pay, or share personal or account details, even if they seem to come from us or mention this incident.',
        'When in doubt, do not use the links or phone numbers in the message: go to the company’s website yourself or call a number you already know.',
        'Report suspicious emails to your email provider (for example with its “Report phishing” button) and then delete them.',
      ],
    },
    es: {
      title: 'Cuidado con el phishing (correos fraudulentos)',
      steps: [
        'Desconfía de los correos inesperados que te pidan hacer clic en un enlace, abrir un archivo adjunto, iniciar sesión, pagar o compartir datos personales o de tus cuentas, aunque parezcan nuestros o mencionen este incidente.',
        'Si tienes dudas, no uses los enlaces ni los teléfonos del mensaje: entra tú mismo en el sitio web de la empresa o llama a un número que ya conozcas.',
        'Denuncia los correos sospechosos a tu proveedor de correo (por ejemplo, con su botón “Denunciar phishing”) y después bórralos.',
      ],
    },
  },
  password: {
    en: {
      title: 'Change your password',
      steps: [
        'Change your password for this service now, and choose a strong one that you do not use anywhere else.',
        'If you used the same or a similar password on any other website or app, change it there too, starting with your email, banking and shopping accounts.',
        TWO_STEP_EN,
        'Consider using a password manager to create and remember a different password for every account.',
        'Watch for sign-in alerts or password-reset emails you did not ask for, and never share one-time codes with anyone who contacts you.',
      ],
    },
    es: {
      title: 'Cambia tu contraseña',
      steps: [
        'Cambia ahora tu contraseña de este servicio y elige una segura que no uses en ningún otro sitio.',
        'Si usabas la misma contraseña o una parecida en otros sitios web o aplicaciones, cámbiala también allí, empezando por tu correo, tu banco y tus tiendas en línea.',
        TWO_STEP_ES,
        'Considera usar un gestor de contraseñas para crear y recordar una contraseña distinta para cada cuenta.',
        'Presta atención a avisos de inicio de sesión o correos de restablecimiento de contraseña que no hayas pedido, y nunca compartas códigos de un solo uso con quien se ponga en contacto contigo.',
      ],
    },
  },
  username: {
    en: {
      title: 'Protect your account',
      steps: [
        'Make sure this account has a strong password that you do not use anywhere else.',
        TWO_STEP_EN,
        'Be suspicious of messages that mention your username to seem genuine.',
      ],
    },
    es: {
      title: 'Protege tu cuenta',
      steps: [
        'Asegúrate de que esta cuenta tenga una contraseña segura que no uses en ningún otro sitio.',
        TWO_STEP_ES,
        'Desconfía de los mensajes que mencionan tu nombre de usuario para parecer auténticos.',
      ],
    },
  },
  security_qa: {
    en: {
      title: 'Change your security questions',
      steps: [
        'Change your security questions and answers for this service, and on any other account where you used the same ones.',
        'Choose answers that others cannot guess or find online (for example on social media); you can treat them like an extra password and keep them in a password manager.',
        TWO_STEP_EN,
      ],
    },
    es: {
      title: 'Cambia tus preguntas de seguridad',
      steps: [
        'Cambia tus preguntas y respuestas de seguridad de este servicio y de cualquier otra cuenta en la que usaras las mismas.',
        'Elige respuestas que nadie pueda adivinar ni encontrar en internet (por ejemplo, en redes sociales); puedes tratarlas como una contraseña más y guardarlas en un gestor de contraseñas.',
        TWO_STEP_ES,
      ],
    },
  },
  name: null,
  postal_address: {
    en: {
      title: 'Watch your mail',
      steps: [
        'Be careful with letters or parcels you did not expect that ask for payment or personal information, or that claim to be about this incident; check them using contact details you already know.',
        'Look out for bills, statements or credit offers for accounts you did not open, and for regular mail that stops arriving.',
      ],
    },
    es: {
      title: 'Vigila tu correo postal',
      steps: [
        'Desconfía de cartas o paquetes inesperados que pidan un pago o datos personales, o que digan estar relacionados con este incidente; compruébalos con datos de contacto que ya conozcas.',
        'Presta atención a facturas, extractos u ofertas de crédito de cuentas que no hayas abierto, y a cartas habituales que dejen de llegar.',
      ],
    },
  },
  phone: {
    en: {
      title: 'Be careful with calls and text messages',
      steps: [
        'Be wary of unexpected calls or text messages that ask for personal information, payments or verification codes; hang up and call back on a number you already know.',
        'Never share a one-time code sent to your phone with anyone who contacts you, even if they say they are from us or from your bank.',
        'Ask your mobile carrier to add a PIN or passcode to your account and to block number transfers; this helps prevent “SIM swap” fraud.',
      ],
    },
    es: {
      title: 'Cuidado con las llamadas y los mensajes de texto',
      steps: [
        'Desconfía de llamadas o mensajes de texto inesperados que pidan datos personales, pagos o códigos de verificación; cuelga y llama tú a un número que ya conozcas.',
        'Nunca compartas un código de un solo uso enviado a tu teléfono con quien se ponga en contacto contigo, aunque diga ser de nuestra empresa o de tu banco.',
        'Pide a tu compañía de telefonía móvil que añada un PIN o una clave a tu cuenta y que bloquee la portabilidad de tu número; así se previene el fraude por “duplicado de SIM”.',
      ],
    },
  },
  date_of_birth: {
    en: {
      title: 'Watch for identity theft',
      steps: [
        'Review your bank, card and other account statements regularly and report any activity you do not recognize.',
        'Be cautious when someone contacts you and already knows your date of birth: scammers use such details to seem genuine.',
        'Where a company uses your date of birth to confirm who you are, ask whether you can add a password or PIN instead.',
      ],
    },
    es: {
      title: 'Vigila posibles robos de identidad',
      steps: [
        'Revisa con regularidad los extractos de tu banco, tus tarjetas y tus otras cuentas, y denuncia cualquier movimiento que no reconozcas.',
        'Ten cuidado si alguien se pone en contacto contigo y ya conoce tu fecha de nacimiento: los estafadores usan estos datos para parecer de confianza.',
        'Si una empresa usa tu fecha de nacimiento para confirmar tu identidad, pregunta si puedes añadir una contraseña o un PIN.',
      ],
    },
  },
  national_id: {
    en: {
      title: 'Protect yourself from identity theft',
      steps: [
        'Watch for letters, bills or messages about loans, accounts, benefits or taxes that you did not apply for.',
      ],
      us: [
        `Place a free security freeze with each of the three nationwide credit bureaus: ${BUREAUS_EN}. A freeze stops new credit from being opened in your name and does not affect your credit score.`,
        'Or place a free fraud alert, which lasts one year, by contacting any one of the three bureaus; it must tell the other two.',
        'Check your free credit reports at www.annualcreditreport.com or 1-877-322-8228 for accounts or inquiries you do not recognize.',
        'Get an Identity Protection PIN from the IRS at www.irs.gov/ippin so that no one else can file a federal tax return with your Social Security number.',
        REPORT_US_EN,
      ],
      elsewhere: [
        'If your country has credit reference agencies, ask them whether you can add a fraud warning or a credit freeze to your file.',
        'If you think someone is using your identity, report it to the police and to the authority that issued your identification number.',
      ],
    },
    es: {
      title: 'Protégete del robo de identidad',
      steps: [
        'Presta atención a cartas, facturas o mensajes sobre préstamos, cuentas, prestaciones o impuestos que no hayas solicitado.',
      ],
      us: [
        `Congela gratis tu crédito en cada una de las tres agencias nacionales de informes de crédito: ${BUREAUS_ES}. El congelamiento impide que se abra crédito nuevo a tu nombre y no afecta a tu puntaje de crédito.`,
        'O coloca una alerta de fraude gratuita, que dura un año, contactando con cualquiera de las tres agencias; esa agencia debe avisar a las otras dos.',
        'Revisa tus informes de crédito gratuitos en www.annualcreditreport.com o llamando al 1-877-322-8228 para detectar cuentas o consultas que no reconozcas.',
        'Solicita al IRS un PIN de Protección de Identidad en www.irs.gov/ippin para que nadie más pueda presentar una declaración federal de impuestos con tu número de Seguro Social.',
        REPORT_US_ES,
      ],
      elsewhere: [
        'Si en tu país existen agencias de información crediticia, pregúntales si puedes añadir una alerta de fraude o un bloqueo de crédito a tu expediente.',
        'Si crees que alguien está usando tu identidad, denúncialo a la policía y a la autoridad que emitió tu número de identificación.',
      ],
    },
  },
  drivers_license: {
    en: {
      title: 'Protect your driver’s license number',
      steps: [
        'Contact the agency that issued your driver’s license (in the US, your state’s motor vehicle agency) and ask whether it can flag your record or issue a new license number.',
        'Watch for traffic tickets, vehicle registrations, bills or accounts that are not yours.',
      ],
      us: [
        `Consider a free fraud alert or security freeze with the nationwide credit bureaus: ${BUREAUS_EN}.`,
        REPORT_US_EN,
      ],
    },
    es: {
      title: 'Protege tu número de licencia de conducir',
      steps: [
        'Ponte en contacto con la entidad que emitió tu licencia de conducir (en EE. UU., la agencia de vehículos motorizados de tu estado) y pregunta si puede marcar tu expediente o emitir un número de licencia nuevo.',
        'Presta atención a multas de tráfico, registros de vehículos, facturas o cuentas que no sean tuyas.',
      ],
      us: [
        `Considera colocar una alerta de fraude o congelar tu crédito, gratis, en las agencias nacionales de informes de crédito: ${BUREAUS_ES}.`,
        REPORT_US_ES,
      ],
    },
  },
  passport: {
    en: {
      title: 'Protect your passport details',
      steps: [
        'Contact the authority that issued your passport and ask whether you should apply for a new one.',
        'Be wary of anyone who contacts you and already knows your passport details.',
      ],
      us: [
        'For a US passport, the National Passport Information Center can help: 1-877-487-2778, travel.state.gov.',
        `Consider a free fraud alert or security freeze with the nationwide credit bureaus: ${BUREAUS_EN}.`,
      ],
    },
    es: {
      title: 'Protege los datos de tu pasaporte',
      steps: [
        'Ponte en contacto con la autoridad que emitió tu pasaporte y pregunta si debes solicitar uno nuevo.',
        'Desconfía de cualquier persona que se ponga en contacto contigo y ya conozca los datos de tu pasaporte.',
      ],
      us: [
        'Si tu pasaporte es de EE. UU., el Centro Nacional de Información sobre Pasaportes puede ayudarte: 1-877-487-2778, travel.state.gov.',
        `Considera colocar una alerta de fraude o congelar tu crédito, gratis, en las agencias nacionales de informes de crédito: ${BUREAUS_ES}.`,
      ],
    },
  },
  tax_id: {
    en: {
      title: 'Protect your tax identity',
      steps: [
        'Watch for letters from your tax authority about returns, income or refunds you do not recognize, and answer them promptly.',
      ],
      us: [
        'Get an Identity Protection PIN from the IRS at www.irs.gov/ippin; it stops others from filing a federal tax return with your number.',
        'If your tax return is rejected because one was already filed with your number, file IRS Form 14039 (Identity Theft Affidavit), which you can also do through www.identitytheft.gov.',
        `Consider a free security freeze with the nationwide credit bureaus: ${BUREAUS_EN}.`,
      ],
      elsewhere: ['If you think someone is using your tax number, contact your tax authority.'],
    },
    es: {
      title: 'Protege tu identidad fiscal',
      steps: [
        'Presta atención a cartas de la autoridad tributaria sobre declaraciones, ingresos o reembolsos que no reconozcas, y respóndelas cuanto antes.',
      ],
      us: [
        'Solicita al IRS un PIN de Protección de Identidad en www.irs.gov/ippin; impide que otra persona presente una declaración federal de impuestos con tu número.',
        'Si rechazan tu declaración porque ya se presentó otra con tu número, presenta el Formulario 14039 del IRS (Declaración jurada de robo de identidad), también a través de www.robodeidentidad.gov.',
        `Considera congelar tu crédito, gratis, en las agencias nacionales de informes de crédito: ${BUREAUS_ES}.`,
      ],
      elsewhere: [
        'Si crees que alguien está usando tu número fiscal, ponte en contacto con tu autoridad tributaria.',
      ],
    },
  },
  financial_account: {
    en: {
      title: 'Contact your bank',
      steps: [
        'Call your bank on the number printed on your statement or card, tell them your account details may have been exposed, and ask whether to change your account number or add extra protection.',
        'Check your statements and transactions regularly and report anything you do not recognize straight away.',
        'Turn on transaction alerts in your banking app or online banking.',
        'Never share your PIN, passwords or one-time codes with anyone who contacts you, even if they say they are from your bank.',
      ],
    },
    es: {
      title: 'Ponte en contacto con tu banco',
      steps: [
        'Llama a tu banco al número que aparece en tu extracto o en tu tarjeta, explícale que los datos de tu cuenta podrían haber quedado expuestos y pregunta si conviene cambiar el número de cuenta o añadir protección adicional.',
        'Revisa tus extractos y movimientos con regularidad y comunica de inmediato cualquier operación que no reconozcas.',
        'Activa las alertas de movimientos en la aplicación o la banca en línea de tu banco.',
        'Nunca compartas tu PIN, tus contraseñas ni códigos de un solo uso con quien se ponga en contacto contigo, aunque diga ser de tu banco.',
      ],
    },
  },
  payment_card: {
    en: {
      title: 'Protect your payment card',
      steps: [
        'Call your card issuer on the number on the back of your card and ask them to cancel the card and send you a new one.',
        'Review your card statements for charges you do not recognize, including small ones, and dispute them with your card issuer promptly.',
        'Turn on transaction alerts in your card or banking app.',
        'When the new card arrives, update the card details saved with shops and subscriptions.',
      ],
    },
    es: {
      title: 'Protege tu tarjeta de pago',
      steps: [
        'Llama al emisor de tu tarjeta al número que figura en el reverso y pide que la cancelen y te envíen una nueva.',
        'Revisa los extractos de tu tarjeta en busca de cargos que no reconozcas, incluso pequeños, y reclámalos cuanto antes al emisor de la tarjeta.',
        'Activa las alertas de movimientos en la aplicación de tu tarjeta o de tu banco.',
        'Cuando recibas la tarjeta nueva, actualiza los datos guardados en tiendas y suscripciones.',
      ],
    },
  },
  medical: {
    en: {
      title: 'Watch for medical identity theft',
      steps: [
        'Ask your healthcare providers for a copy of your records and check them for conditions, treatments or test results that are not yours.',
        'Be careful with calls or messages that mention your health or treatment to get you to share information or pay.',
      ],
      us: [
        'Read every Explanation of Benefits (EOB) statement from your health plan and tell the plan about any service you did not receive.',
        'Check your credit reports at www.annualcreditreport.com for medical debts you do not recognize.',
      ],
      elsewhere: [
        'Read the statements you get from your health insurer or health service and report any treatment, visit or prescription you did not receive.',
      ],
    },
    es: {
      title: 'Vigila el robo de identidad médica',
      steps: [
        'Pide a tus proveedores de atención médica una copia de tu historial y comprueba que no contenga enfermedades, tratamientos o resultados que no sean tuyos.',
        'Desconfía de llamadas o mensajes que mencionen tu salud o tu tratamiento para conseguir que compartas información o pagues.',
      ],
      us: [
        'Lee cada Explicación de Beneficios (EOB) de tu plan de salud y avisa al plan de cualquier servicio que no hayas recibido.',
        'Revisa tus informes de crédito en www.annualcreditreport.com por si aparecen deudas médicas que no reconozcas.',
      ],
      elsewhere: [
        'Lee los documentos que recibes de tu aseguradora o servicio de salud y comunica cualquier tratamiento, consulta o receta que no hayas recibido.',
      ],
    },
  },
  health_insurance: {
    en: {
      title: 'Protect your health insurance',
      steps: [
        'Call your health insurer on the number on your member card, tell them your insurance details may have been exposed, and ask whether they can issue a new member number.',
        'Keep your insurance card as safe as a payment card and give the number only to providers you trust.',
      ],
      us: [
        'Read every Explanation of Benefits (EOB) statement from your health plan and tell the plan about any service you did not receive.',
      ],
      elsewhere: [
        'Read the statements you get from your insurer and report any treatment or claim you do not recognize.',
      ],
    },
    es: {
      title: 'Protege tu seguro médico',
      steps: [
        'Llama a tu aseguradora al número de tu tarjeta de afiliado, explícale que los datos de tu seguro podrían haber quedado expuestos y pregunta si puede darte un número de afiliado nuevo.',
        'Guarda tu tarjeta del seguro con el mismo cuidado que una tarjeta de pago y da el número solo a proveedores de confianza.',
      ],
      us: [
        'Lee cada Explicación de Beneficios (EOB) de tu plan de salud y avisa al plan de cualquier servicio que no hayas recibido.',
      ],
      elsewhere: [
        'Lee los documentos que recibes de tu aseguradora y comunica cualquier tratamiento o reclamación que no reconozcas.',
      ],
    },
  },
  biometric: {
    en: {
      title: 'Protect sign-ins that use your biometrics',
      steps: [
        'Fingerprints and face scans cannot be changed like a password, so where a service allows it, add a strong password, PIN or security key to sign-ins that use them.',
        'Ask any organization that uses your biometrics to identify you what extra checks it can add.',
        'Watch for sign-in alerts or account changes you did not make.',
      ],
    },
    es: {
      title: 'Protege los accesos que usan tus datos biométricos',
      steps: [
        'Las huellas dactilares y los escaneos faciales no se pueden cambiar como una contraseña; cuando un servicio lo permita, añade una contraseña segura, un PIN o una llave de seguridad a los accesos que los usan.',
        'Pregunta a las organizaciones que usan tus datos biométricos para identificarte qué comprobaciones adicionales pueden añadir.',
        'Presta atención a avisos de inicio de sesión o cambios en tus cuentas que no hayas hecho.',
      ],
    },
  },
  genetic: {
    en: {
      title: 'Protect your genetic information',
      steps: [
        'Review the privacy settings of any genetic testing or ancestry service you use, and consider deleting data or samples you no longer want it to keep.',
        'Be cautious of unexpected contact from people who claim to be relatives or offer to explain your results.',
        'Genetic data can also reveal information about your relatives; you may want to tell them about this incident.',
      ],
    },
    es: {
      title: 'Protege tu información genética',
      steps: [
        'Revisa la configuración de privacidad de los servicios de pruebas genéticas o de ascendencia que uses y considera eliminar los datos o muestras que ya no quieras que conserven.',
        'Desconfía de contactos inesperados de personas que dicen ser familiares o que se ofrecen a explicarte tus resultados.',
        'Los datos genéticos también pueden revelar información sobre tus familiares; quizá quieras informarles de este incidente.',
      ],
    },
  },
  geolocation: {
    en: {
      title: 'Review who can see your location',
      steps: [
        'Check which apps on your phone can use your location and turn off access they do not need.',
        'If you are worried about your personal safety, contact the police or a local support service.',
      ],
    },
    es: {
      title: 'Revisa quién puede ver tu ubicación',
      steps: [
        'Comprueba qué aplicaciones de tu teléfono pueden usar tu ubicación y desactiva el acceso que no necesiten.',
        'Si te preocupa tu seguridad personal, ponte en contacto con la policía o con un servicio de apoyo local.',
      ],
    },
  },
  ip_address: null,
  device_id: null,
  other: null,
};

/**
 * What a person can do about one exposed category, in their language: `null` for categories that call for
 * no action (or ids outside the taxonomy). With a jurisdiction outside the US, US-only steps are left out and
 * general ones put in; without a jurisdiction, the US steps are shown.
 */
export function guidanceFor(
  category: string,
  locale: Locale,
  jurisdiction?: string,
): { title: string; steps: string[] } | null {
  if (!isCategory(category)) return null;
  const text = guidance[category]?.[locale];
  if (!text) return null;
  const regional = jurisdiction === undefined || isUsJurisdiction(jurisdiction) ? text.us : text.elsewhere;
  return { title: text.title, steps: [...text.steps, ...(regional ?? [])] };
}
