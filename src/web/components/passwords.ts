/** Mirrors `newPassword` in src/shared/contracts/auth.ts; the server also refuses common passwords. */
export const PASSWORD_MIN = 12;
export const passwordRule = `At least ${PASSWORD_MIN} characters. A few unrelated words make a strong one; common passwords are refused.`;
