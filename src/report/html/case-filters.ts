/**
 * Filters for a table of cases, CSS only (the page's content-security policy allows no script): two
 * groups of radios (e.g. split, and pass/fail), each with `all` first, placed before the filter
 * labels and the table so that `:checked ~` selectors can hide the rows that do not match.
 *
 * Every label shows how many rows it would leave given the other group's choice: with `validation`
 * picked, `fail (12)` counts the failing validation cases, not every failing case. Each label
 * carries one count per choice of the other group; the stylesheet shows the one that applies.
 *
 * Group names, values and row classes are constants from the code (never data), so the stylesheet
 * built from them is trusted.
 */
import { html, type SafeHtml } from './html.js';

export interface FilterValue {
  value: string;
  /** The label's text. */
  text: string;
  /** The class of the table rows this value keeps. */
  rowClass: string;
}

export interface FilterGroup {
  /** Radio group `case-<name>`; radio ids `f-<name>-<value>` (and `f-<name>-all`). */
  name: string;
  title: string;
  values: readonly FilterValue[];
}

export type FilterGroups = readonly [FilterGroup, FilterGroup];

/** One row's values in each group (a row may have several in a group, or none). */
export type RowTags = readonly [readonly string[], readonly string[]];

/** The row's classes for the filters. */
export function filterRowClass(groups: FilterGroups, tags: RowTags): string {
  return groups
    .flatMap((group, g) => group.values.filter((v) => tags[g]!.includes(v.value)).map((v) => v.rowClass))
    .join(' ');
}

/** The radios, the labels with their counts, then the table (in a `.table-wrap`). */
export function filteredTable(groups: FilterGroups, rows: readonly RowTags[], table: SafeHtml): SafeHtml {
  const radios = groups.map((group) => choices(group).map((value) => radio(group, value)));
  return html`<div class="case-filters">
${radios[0]}
${radios[1]}
<div class="filters">
${groups.map((group, g) => labels(groups, g as 0 | 1, rows, group))}
</div>
<div class="table-wrap">
${table}
</div>
</div>`;
}

function labels(groups: FilterGroups, g: 0 | 1, rows: readonly RowTags[], group: FilterGroup): SafeHtml {
  const other = groups[g === 0 ? 1 : 0];
  const text = (value: string) => (value === 'all' ? 'all' : group.values.find((v) => v.value === value)!.text);
  return html`<div class="group" role="group" aria-label="${group.title}"><span>${group.title}</span>${choices(group).map(
    (value) =>
      html`<label for="f-${group.name}-${value}">${text(value)}${choices(other).map(
        (otherValue) =>
          html` <span class="count c-${other.name}-${otherValue}">(${count(rows, g, value, otherValue)})</span>`,
      )}</label>`,
  )}</div>`;
}

function count(rows: readonly RowTags[], g: 0 | 1, value: string, otherValue: string): number {
  const o = g === 0 ? 1 : 0;
  return rows.filter((tags) => (value === 'all' || tags[g].includes(value)) && (otherValue === 'all' || tags[o].includes(otherValue))).length;
}

function radio(group: FilterGroup, value: string): SafeHtml {
  return html`<input class="filter-input" type="radio" name="case-${group.name}" id="f-${group.name}-${value}" value="${value}"${value === 'all' ? html` checked` : ''}>`;
}

function choices(group: FilterGroup): string[] {
  return ['all', ...group.values.map((v) => v.value)];
}

/** The stylesheet for these groups: hide the rows, show the counts that apply, mark the picked labels. */
export function filterStyles(groups: FilterGroups): string {
  const hide = groups.flatMap((group) =>
    group.values.map((v) => `#f-${group.name}-${v.value}:checked ~ .table-wrap tbody tr:not(.${v.rowClass}) { display: none; }`),
  );
  const counts = groups.flatMap((group) => choices(group).map((value) => `#f-${group.name}-${value}:checked ~ .filters .c-${group.name}-${value}`));
  const picked = groups.flatMap((group) => choices(group).map((value) => `#f-${group.name}-${value}:checked ~ .filters label[for="f-${group.name}-${value}"]`));
  return [
    ...hide,
    '.filters .count { display: none; }',
    `${counts.join(',\n')} { display: inline; }`,
    `${picked.join(',\n')} { background: var(--accent); border-color: var(--accent); color: #fff; }`,
  ].join('\n');
}
