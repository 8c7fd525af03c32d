/**
 * The data taxonomy (DESIGN.md): category ids used by imports, rules, templates and guidance. The order is
 * stable: a person's exposure is stored as a bitmask over this list (bit i = categories[i]).
 */
export const categories = [
  'email',
  'password',
  'username',
  'security_qa',
  'name',
  'postal_address',
  'phone',
  'date_of_birth',
  'national_id',
  'drivers_license',
  'passport',
  'tax_id',
  'financial_account',
  'payment_card',
  'medical',
  'health_insurance',
  'biometric',
  'genetic',
  'geolocation',
  'ip_address',
  'device_id',
  'other',
] as const;
export type Category = (typeof categories)[number];

export const categoryLabels: Record<Category, string> = {
  email: 'Email address',
  password: 'Password or credential',
  username: 'Username',
  security_qa: 'Security questions',
  name: 'Name',
  postal_address: 'Postal address',
  phone: 'Phone number',
  date_of_birth: 'Date of birth',
  national_id: 'National ID (e.g. SSN)',
  drivers_license: 'Driver’s licence',
  passport: 'Passport',
  tax_id: 'Tax ID',
  financial_account: 'Bank account',
  payment_card: 'Payment card',
  medical: 'Medical information',
  health_insurance: 'Health insurance',
  biometric: 'Biometric data',
  genetic: 'Genetic data',
  geolocation: 'Location',
  ip_address: 'IP address',
  device_id: 'Device identifier',
  other: 'Other',
};

export const riskTiers = ['high', 'medium', 'low'] as const;
export type RiskTier = (typeof riskTiers)[number];

/** Exposure of any of these makes a person high risk; of these, medium; anything else, low. */
export const highRiskCategories: readonly Category[] = [
  'password',
  'security_qa',
  'national_id',
  'drivers_license',
  'passport',
  'tax_id',
  'financial_account',
  'payment_card',
  'medical',
  'health_insurance',
  'biometric',
  'genetic',
];
export const mediumRiskCategories: readonly Category[] = [
  'date_of_birth',
  'postal_address',
  'phone',
  'username',
  'geolocation',
];

export function categoryMask(list: readonly Category[]): number {
  let mask = 0;
  for (const c of list) mask |= 1 << categories.indexOf(c);
  return mask;
}

export function categoriesOf(mask: number): Category[] {
  return categories.filter((_, i) => (mask & (1 << i)) !== 0);
}

/** The two lists as bit masks: what SQL over a categories column compares with (`categories & mask`). */
export const highRiskMask = categoryMask(highRiskCategories);
export const mediumRiskMask = categoryMask(mediumRiskCategories);

export function riskTierOf(mask: number): RiskTier {
  if (mask & highRiskMask) return 'high';
  if (mask & mediumRiskMask) return 'medium';
  return 'low';
}

export function isCategory(value: string): value is Category {
  return (categories as readonly string[]).includes(value);
}
