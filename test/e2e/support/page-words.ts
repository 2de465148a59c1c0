import type { Page } from '@playwright/test';
import { findJargon } from './vocabulary';

/** Everything a person can read on the page now: visible text, titles and accessible labels. */
export async function pageText(page: Page): Promise<string> {
  return page.evaluate(
    `document.body.innerText + '\\n' + [...document.querySelectorAll('[title],[aria-label],[placeholder]')]
      .map((el) => [el.getAttribute('title'), el.getAttribute('aria-label'), el.getAttribute('placeholder')].filter(Boolean).join('\\n'))
      .join('\\n')`,
  );
}

/** Collects what `findJargon` finds on the page as it is now, under the name of the screen. */
export function scanner(page: Page, problems: string[]): (where: string) => Promise<void> {
  return async (where) => {
    for (const found of findJargon(await pageText(page))) problems.push(`${where}: ${found}`);
  };
}
