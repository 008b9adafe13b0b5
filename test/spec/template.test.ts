import { describe, expect, it } from 'vitest';
import { renderTemplate, templateProblem, templateVariableUses, templateVariables, TemplateRenderError } from '../../src/template/template.js';

const uses = (template: string) => Object.fromEntries(templateVariableUses(template, 'nunjucks').map((u) => [u.name, u.optional]));

describe('templateVariables: simple {{var}} templates', () => {
  it('names as written, dotted and dashed, each once; nothing else is syntax', () => {
    expect(templateVariables('{{a}} {{ b.c }} {{my-var}} {{a}} {{ x | upper }} {% if y %}')).toEqual(['a', 'b.c', 'my-var']);
  });

  it('renders values, objects as JSON, and leaves unknown names as written', () => {
    expect(renderTemplate('{{a}} {{o}} {{o.k}} {{missing}}', { a: 'x', o: { k: 1 } })).toBe('x {"k":1} 1 {{missing}}');
  });
});

describe('templateVariableUses: Nunjucks, from the parsed template', () => {
  it('reads top-level variables and constant field paths; filters, tests and globals are not variables', () => {
    expect(templateVariables('{{ name | upper }} {{ customer.address.city }} {{ rows[0].id }} {{ o["k"] }} {{ range(3) | join(",") }} {{ x is string }}', 'nunjucks')).toEqual([
      'name',
      'customer.address.city',
      'rows.0.id',
      'o.k',
      'x',
    ]);
  });

  it('excludes loop variables (and loop), set targets, macro names and arguments', () => {
    const template = [
      '{% set greeting = "hi " + who %}{{ greeting }}',
      '{% for item in items %}{{ item.sku }} {{ loop.index }}{% endfor %}',
      '{% for k, v in pairs %}{{ k }}={{ v }}{% endfor %}',
      '{% macro line(label, n=count) %}{{ label }}:{{ n }}{% endmacro %}{{ line("a") }}',
    ].join('\n');
    expect(templateVariables(template, 'nunjucks')).toEqual(['who', 'items', 'pairs', 'count']);
  });

  it('a variable read with a guard is optional: conditions, presence tests, default filters', () => {
    expect(uses('{% if vip %}VIP {{ vip }}{% endif %}{% if note is defined %}{{ note }}{% endif %}{{ nick | default("friend") }}{{ name }}{% if not a and b %}x{% endif %}')).toEqual({
      vip: true,
      note: true,
      nick: true,
      name: false,
      a: true,
      b: true,
    });
    expect(uses('{% if age > 18 %}adult{% endif %}')).toEqual({ age: false });
  });

  it('{{my-var}} is my minus var in Nunjucks', () => {
    expect(templateVariables('{{my-var}}', 'nunjucks')).toEqual(['my', 'var']);
  });
});

describe('renderTemplate: Nunjucks', () => {
  it('renders filters, conditionals and loops, autoescape off, objects and lists as JSON', () => {
    const vars = { name: 'ada <b>', o: { a: [1, 2] }, list: ['x', 'y'], n: 2 };
    expect(renderTemplate('{{ name | upper }}|{{ o }}|{{ o.a }}|{{ list | join(", ") }}|{% if n > 1 %}many{% endif %}|{{ o | dump }}', vars, 'nunjucks')).toBe(
      'ADA <B>|{"a":[1,2]}|[1,2]|x, y|many|{"a":[1,2]}',
    );
  });

  it('an undefined value printed is an error with its place; the case vars are not changed', () => {
    const vars = { o: { a: 1 } };
    expect(() => renderTemplate('x\n{{ o.b }}', vars, 'nunjucks')).toThrow(TemplateRenderError);
    expect(() => renderTemplate('x\n{{ o.b }}', vars, 'nunjucks')).toThrow(/undefined value \(template line 2, column 1\)/);
    expect(Object.keys(vars.o)).toEqual(['a']);
  });
});

describe('templateProblem', () => {
  it('syntax errors, unknown filters and tests, include: with their place; none for {{var}} templates', () => {
    expect(templateProblem('{% if x %}', 'nunjucks')?.message).toMatch(/expected elif, else, or endif/);
    expect(templateProblem('a\n{{ x | shout }}', 'nunjucks')).toEqual({ message: 'unknown filter "shout"', line: 2, column: 8 });
    expect(templateProblem('{% if x is weird %}{% endif %}', 'nunjucks')?.message).toBe('unknown test "weird"');
    expect(templateProblem('{% include "other.njk" %}', 'nunjucks')?.message).toMatch(/"include" is not supported/);
    expect(templateProblem('{{ x | upper }} {% if y is defined %}{% endif %}', 'nunjucks')).toBeUndefined();
    expect(templateProblem('{% if x %}', 'simple')).toBeUndefined();
  });
});
