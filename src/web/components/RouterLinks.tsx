import {
  Anchor,
  type AnchorProps,
  Button,
  type ButtonProps,
  NavLink,
  type NavLinkProps,
} from '@mantine/core';
import { createLink } from '@tanstack/react-router';
import type { AnchorHTMLAttributes, Ref } from 'react';

type AnchorAttributes = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'color' | 'style' | 'onChange'>;
type RefProp = { ref?: Ref<HTMLAnchorElement> };

function NavLinkAnchor(props: NavLinkProps & AnchorAttributes & RefProp) {
  return <NavLink component="a" {...props} />;
}

function TextAnchor(props: AnchorProps & AnchorAttributes & RefProp) {
  return <Anchor component="a" {...props} />;
}

function ButtonAnchor(props: ButtonProps & AnchorAttributes & RefProp) {
  return <Button component="a" {...props} />;
}

/** Mantine's NavLink, navigating with the router (typed routes, no full page loads). */
export const RouterNavLink = createLink(NavLinkAnchor);

/** A text link to a console page. */
export const RouterAnchor = createLink(TextAnchor);

/** A link to a console page that looks like a button. */
export const RouterButton = createLink(ButtonAnchor);
