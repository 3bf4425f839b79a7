// Chromium's Element Timing API: an element carrying `elementtiming="name"` reports when its text
// (or image) was first painted, as a PerformanceObserver `element` entry with that identifier.
// The cockpit pages mark the element that carries their data, so bench/cockpit-pages can time the
// paint the user sees, apart from when hydration lets the main thread answer. React passes the
// lowercase attribute through; this tells TypeScript it exists. Note: text is attributed to its
// containing block, so the mark goes on the block (a table cell, an SVG <text>) holding the text.
import "react";

// Merging into React's interfaces needs their type parameter, by name, though it is unused here.
/* eslint-disable @typescript-eslint/no-unused-vars */
declare module "react" {
  interface HTMLAttributes<T> {
    elementtiming?: string;
  }
  interface SVGAttributes<T> {
    elementtiming?: string;
  }
}
