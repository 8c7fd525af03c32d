/** The masking rules live in src/shared/masking.ts (the people list and the console use them too). */
export { maskEmail, maskPhone } from '../../../../shared/masking.ts';
