/**
 * What comms writes for the public notice: the standard headings per locale, an FAQ and the ways to reach
 * the company; and the updates published under it. The schemas are the staff API's contract
 * (src/shared/contracts/notice-site.ts); the site's own code reads them from here.
 */

export { type Branding, brandingSchema } from '../../../shared/contracts/branding.ts';
export {
  type Contact,
  contactSchema,
  type LocaleText,
  localeTextSchema,
  type NoticeContent,
  noticeContentSchema,
  type SiteLocale,
  siteLocales,
  slugSchema,
  type UpdateContent,
  updateContentSchema,
} from '../../../shared/contracts/notice-site.ts';
