'use client';

import { useEffect, useRef, useState, type ReactNode } from 'react';

/**
 * A box that scrolls sideways when what it holds is wider than the screen (a table on a phone).
 * While it does, it is a focusable, named region, so a keyboard can scroll it (WCAG 2.1.1; axe
 * scrollable-region-focusable); when everything fits (a desktop) it is no tab stop. Focusable
 * until the browser has measured it, so it is never unreachable.
 */
export function ScrollRegion({ children, label, labelledBy }: { children: ReactNode; label?: string; labelledBy?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const [scrolls, setScrolls] = useState(true);
  useEffect(() => {
    const box = ref.current;
    if (!box) return;
    const measure = () => setScrolls(box.scrollWidth > box.clientWidth + 1);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(box);
    if (box.firstElementChild) observer.observe(box.firstElementChild);
    return () => observer.disconnect();
  }, []);
  return (
    // relative: visually hidden (absolute) labels in cells stay inside the scroll region instead of widening the page.
    <div
      ref={ref}
      className="relative overflow-x-auto rounded-sm focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600"
      tabIndex={scrolls ? 0 : undefined}
      role={scrolls ? 'region' : undefined}
      aria-label={scrolls ? label : undefined}
      aria-labelledby={scrolls ? labelledBy : undefined}
      data-scrolls={scrolls}
    >
      {children}
    </div>
  );
}
