import type { BrandingSetting } from '../../platform/settings/branding.ts';
import { stylesheetFor, stylesheetPath } from './render.ts';

/**
 * The notice page as the console's preview frame needs it: self-contained. The frame is sandboxed (an opaque
 * origin, no script), so the stylesheet and logo files would be cross-origin requests that the site's
 * Cross-Origin-Resource-Policy refuses, and the preview would show an unstyled page unlike the real one. The
 * preview answer's own CSP allows inline styles and data: images; the public pages never carry either.
 */
export function selfContainedPreview(html: string, branding: Pick<BrandingSetting, 'primaryColor' | 'logo'>) {
  const href = stylesheetPath(branding.primaryColor);
  const css = stylesheetFor(href.slice(href.lastIndexOf('/') + 1));
  let page = css ? html.replace(`<link rel="stylesheet" href="${href}">`, `<style>${css}</style>`) : html;
  if (branding.logo) {
    page = page.replace(
      '<img src="/n/_brand/logo"',
      `<img src="data:${branding.logo.contentType};base64,${branding.logo.dataBase64}"`,
    );
  }
  return page;
}
