import { NavLink, type NavLinkProps } from '@mantine/core';
import { createLink } from '@tanstack/react-router';
import type { AnchorHTMLAttributes, Ref } from 'react';

type AnchorAttributes = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'color' | 'style' | 'onChange'>;

function NavLinkAnchor(props: NavLinkProps & AnchorAttributes & { ref?: Ref<HTMLAnchorElement> }) {
  return <NavLink component="a" {...props} />;
}

/** Mantine's NavLink, navigating with the router (typed routes, no full page loads). */
export const RouterNavLink = createLink(NavLinkAnchor);
