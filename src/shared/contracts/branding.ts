import { z } from 'zod';

/**
 * Settings → Branding: the company's name, colour and logo, which every page and message affected people
 * see carries (src/server/platform/settings/branding.ts stores it).
 */

export const logoTypes = ['image/png', 'image/jpeg', 'image/webp'] as const;
export type LogoType = (typeof logoTypes)[number];

/** What the console saves (the name is required there); also the stored setting's shape. */
export const brandingSchema = z.object({
  companyName: z.string().trim().min(1).max(120),
  primaryColor: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'Use a colour like #1f5fbf.'),
  // The size is bounded by the body limit; the server refuses a logo over 200 kB with its size.
  logo: z.object({ contentType: z.enum(logoTypes), dataBase64: z.string() }).nullable(),
});
export type Branding = z.infer<typeof brandingSchema>;

/** PUT /api/settings/branding: `logo` omitted keeps the current one, null removes it. */
export const brandingRequest = brandingSchema.extend({ logo: brandingSchema.shape.logo.optional() });
export type BrandingInput = z.input<typeof brandingRequest>;

/** GET /api/settings/branding: the logo by type and size, never its bytes. */
export const brandingView = z.object({
  /** Null while nobody has named the company (people would read "Our company"): the console asks for it. */
  companyName: z.string().nullable(),
  /** #rrggbb */
  primaryColor: z.string(),
  logo: z.object({ contentType: z.string(), size: z.number() }).nullable(),
});
export type BrandingView = z.infer<typeof brandingView>;
