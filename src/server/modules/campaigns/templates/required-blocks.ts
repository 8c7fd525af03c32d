import { isUsJurisdiction } from './category-phrases.ts';
import type { Locale } from './locales.ts';

/**
 * Content some laws require in a notice, added to every notice context so a template cannot leave it out
 * (CompiledTemplate.render appends them when a template does not place `blocks` itself). Which state asks for
 * what comes from /work/shared/reference/breach-laws.json (content_requirements); the agencies' numbers and
 * addresses are the ones they publish for consumers (the freeze addresses as listed by mass.gov). This is
 * product data, not legal advice: legal approves every notice (invariant 8).
 */
export interface NoticeBlock {
  id: string;
  title: string;
  body: string;
}

/** Exposure of any of these lets someone open credit in the person's name. */
const identityCategories = new Set(['national_id', 'drivers_license', 'passport', 'tax_id']);

/**
 * States whose law asks for the credit bureaus' contacts (and fraud alert / freeze information) in every
 * notice, whatever was exposed: AZ, CO, DC, IL, IA, MD, MO, NM, NC, RI, WV, and MA (freeze, free of charge).
 */
const creditInfoEverywhere = new Set([
  'US-AZ',
  'US-CO',
  'US-DC',
  'US-IL',
  'US-IA',
  'US-MA',
  'US-MD',
  'US-MO',
  'US-NM',
  'US-NC',
  'US-RI',
  'US-WV',
]);
/** "The consumer's right to obtain a police report" (MA c. 93H § 3; RI § 11-49.3-4). */
const policeReportStates = new Set(['US-MA', 'US-RI']);

type BlockText = Record<Locale, { title: string; body: string }>;

const texts = {
  us_remain_vigilant: {
    en: {
      title: 'Stay alert',
      body: 'We encourage you to remain vigilant against identity theft and fraud by reviewing your account statements and monitoring your free credit reports (www.annualcreditreport.com) for activity you do not recognize.',
    },
    es: {
      title: 'Mantente alerta',
      body: 'Te recomendamos que te mantengas alerta ante el robo de identidad y el fraude: revisa los extractos de tus cuentas y tus informes de crédito gratuitos (www.annualcreditreport.com) por si aparece actividad que no reconozcas.',
    },
  },
  us_credit_bureaus: {
    en: {
      title: 'Contact the credit reporting agencies',
      body: [
        'You can contact the three nationwide credit reporting agencies to get your credit report, place a fraud alert or place a security freeze:',
        '',
        'Equifax: 1-800-685-1111, www.equifax.com/personal/credit-report-services, Equifax Security Freeze, P.O. Box 105788, Atlanta, GA 30348',
        'Experian: 1-888-397-3742, www.experian.com/help, Experian Security Freeze, P.O. Box 9554, Allen, TX 75013',
        'TransUnion: 1-888-909-8872, www.transunion.com/credit-help, TransUnion Security Freeze, P.O. Box 2000, Chester, PA 19016',
        '',
        'You can get free credit reports from each agency at www.annualcreditreport.com or by calling 1-877-322-8228.',
        '',
        'The Federal Trade Commission (FTC) has information about fraud alerts, security freezes and how to prevent identity theft: www.identitytheft.gov, 1-877-438-4338, Federal Trade Commission, 600 Pennsylvania Avenue NW, Washington, DC 20580. If you think someone is using your information, report it there.',
      ].join('\n'),
    },
    es: {
      title: 'Ponte en contacto con las agencias de informes de crédito',
      body: [
        'Puedes ponerte en contacto con las tres agencias nacionales de informes de crédito para obtener tu informe de crédito, colocar una alerta de fraude o congelar tu crédito:',
        '',
        'Equifax: 1-800-685-1111, www.equifax.com/personal/credit-report-services, Equifax Security Freeze, P.O. Box 105788, Atlanta, GA 30348',
        'Experian: 1-888-397-3742, www.experian.com/help, Experian Security Freeze, P.O. Box 9554, Allen, TX 75013',
        'TransUnion: 1-888-909-8872, www.transunion.com/credit-help, TransUnion Security Freeze, P.O. Box 2000, Chester, PA 19016',
        '',
        'Puedes obtener informes de crédito gratuitos de cada agencia en www.annualcreditreport.com o llamando al 1-877-322-8228.',
        '',
        'La Comisión Federal de Comercio (FTC) ofrece información sobre alertas de fraude, congelamiento del crédito y cómo prevenir el robo de identidad: www.robodeidentidad.gov, 1-877-438-4338, Federal Trade Commission, 600 Pennsylvania Avenue NW, Washington, DC 20580. Si crees que alguien está usando tu información, denúncialo allí.',
      ].join('\n'),
    },
  },
  us_fraud_alert_freeze: {
    en: {
      title: 'You can place a fraud alert and a security freeze free of charge',
      body: [
        'A fraud alert tells businesses that check your credit to take extra steps to confirm your identity before opening a new account in your name. An initial fraud alert is free and lasts one year. To place one, contact any one of the three agencies; it must tell the other two.',
        '',
        'A security freeze stops the agencies from sharing your credit report with new creditors, which makes it harder for anyone to open an account in your name. Placing, lifting and removing a freeze is free, and a freeze does not affect your credit score. You must contact each of the three agencies separately.',
        '',
        'To request a freeze you may need to give your full name (with middle initial and any suffix), Social Security number, date of birth, the addresses where you lived over the past five years, proof of your current address (such as a utility bill), a copy of a government-issued ID card, and, if you are a victim of identity theft, a copy of the police report, investigative report or complaint to a law enforcement agency.',
      ].join('\n'),
    },
    es: {
      title: 'Puedes colocar una alerta de fraude y congelar tu crédito sin coste',
      body: [
        'Una alerta de fraude indica a las empresas que consultan tu crédito que deben tomar medidas adicionales para confirmar tu identidad antes de abrir una cuenta nueva a tu nombre. La alerta de fraude inicial es gratuita y dura un año. Para colocarla, contacta con cualquiera de las tres agencias; esa agencia debe avisar a las otras dos.',
        '',
        'El congelamiento de crédito impide que las agencias compartan tu informe de crédito con nuevos acreedores, lo que dificulta que alguien abra una cuenta a tu nombre. Congelar, suspender temporalmente o retirar el congelamiento es gratis, y no afecta a tu puntaje de crédito. Debes contactar con cada una de las tres agencias por separado.',
        '',
        'Para solicitar el congelamiento es posible que debas indicar tu nombre completo (con la inicial del segundo nombre y cualquier sufijo), número de Seguro Social, fecha de nacimiento, las direcciones donde has vivido en los últimos cinco años, un comprobante de tu dirección actual (como una factura de servicios), una copia de un documento de identidad oficial y, si eres víctima de robo de identidad, una copia del informe policial, del informe de investigación o de la denuncia presentada ante las autoridades.',
      ].join('\n'),
    },
  },
  us_police_report: {
    en: {
      title: 'Your right to a police report',
      body: 'If you are a victim of identity theft, you have the right to file a police report and to obtain a copy of it.',
    },
    es: {
      title: 'Tu derecho a un informe policial',
      body: 'Si eres víctima de robo de identidad, tienes derecho a presentar una denuncia ante la policía y a obtener una copia del informe.',
    },
  },
  us_or_report_identity_theft: {
    en: {
      title: 'Report suspected identity theft',
      body: 'If you suspect identity theft, report it to law enforcement, including the Oregon Attorney General and the Federal Trade Commission (www.identitytheft.gov, 1-877-438-4338).',
    },
    es: {
      title: 'Denuncia cualquier sospecha de robo de identidad',
      body: 'Si sospechas que te han robado la identidad, denúncialo a las autoridades, incluidos el Fiscal General de Oregón y la Comisión Federal de Comercio (www.robodeidentidad.gov, 1-877-438-4338).',
    },
  },
} satisfies Record<string, BlockText>;

type BlockId = keyof typeof texts;

/**
 * The required blocks for one person, in the order a notice should show them. A US person gets "stay alert";
 * one whose identity documents were exposed, or who lives where the law asks for it in every notice, also
 * gets the credit agencies' contacts and the free fraud alert / freeze explanation; MA and RI residents the
 * police-report right; OR residents the advice to report identity theft. Other regimes (GDPR and the like)
 * ask for content the notice itself must carry (what happened, likely consequences, contact), not fixed text.
 */
export function requiredBlocks(categories: string[], jurisdiction: string, locale: Locale): NoticeBlock[] {
  if (!isUsJurisdiction(jurisdiction)) return [];
  const ids: BlockId[] = ['us_remain_vigilant'];
  if (categories.some((c) => identityCategories.has(c)) || creditInfoEverywhere.has(jurisdiction)) {
    ids.push('us_credit_bureaus', 'us_fraud_alert_freeze');
  }
  if (policeReportStates.has(jurisdiction)) ids.push('us_police_report');
  if (jurisdiction === 'US-OR') ids.push('us_or_report_identity_theft');
  return ids.map((id) => ({ id, ...texts[id][locale] }));
}
