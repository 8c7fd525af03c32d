import { type CSSVariablesResolver, createTheme, Modal } from '@mantine/core';

/**
 * The console's theme, held to WCAG 2.1 AA contrast (4.5:1 for text) everywhere, checked by axe-core on
 * every page in the browser suite. Mantine's defaults miss it: dimmed text is gray 6 (3.3:1 on white),
 * filled buttons and badges put white on shade 6 (blue 3.6:1, green 2.4:1), light badges put shade 9 on
 * shade 1 (green 3.9:1, yellow 2.2:1).
 */
export const theme = createTheme({
  primaryColor: 'blue',
  // Filled blue, red, grape… with white text: shade 8 reaches 4.5:1.
  primaryShade: { light: 8, dark: 8 },
  // Where white text would fall short even on shade 8 (green, teal, cyan, lime, yellow, orange), filled
  // components switch to dark text: Mantine's autoContrast with a threshold chosen from those shades.
  autoContrast: true,
  luminanceThreshold: 0.18,
  defaultRadius: 'md',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  components: {
    // The close button is an icon: give it a name for screen readers.
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }),
  },
});

/** Shade 9 darkened by 30 %: readable on white and on the shade-1 backgrounds of light variants. */
const strongText = (color: string) => `color-mix(in srgb, var(--mantine-color-${color}-9) 70%, black)`;

export const cssVariablesResolver: CSSVariablesResolver = (resolved) => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-placeholder': 'var(--mantine-color-gray-6)',
    ...Object.fromEntries(
      Object.keys(resolved.colors).flatMap((color) => [
        [`--mantine-color-${color}-text`, strongText(color)],
        [`--mantine-color-${color}-light-color`, strongText(color)],
        [`--mantine-color-${color}-outline`, strongText(color)],
      ]),
    ),
  },
  dark: {},
});
