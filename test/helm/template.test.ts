import * as assert from 'node:assert/strict';
import { data, render, renderError } from './support/render';

// Cases from the Go text/template documentation and Go's semantics, written for this engine.
describe('Go text/template engine', () => {
  describe('text, actions and comments', () => {
    it('copies text verbatim and prints actions with %v', () => {
      assert.equal(render('a {{ .x }} b {{ .z }}', data('x: 1\nz: [1, two]')), 'a 1 b [1 two]');
    });
    it('drops comments, which may span lines', () => {
      assert.equal(render('a{{/* a\ncomment */}}b'), 'ab');
    });
    it('trims white space around trim markers', () => {
      assert.equal(render('{{23 -}} < {{- 45}}'), '23<45');
      assert.equal(render('x\n  {{- /* c */ -}}  \n  y'), 'xy');
    });
    it('reads {{-3}} as the number -3, not a trim marker', () => {
      assert.equal(render('a {{-3}}'), 'a -3');
    });
    it('prints a missing value as nothing (Helm drops "<no value>")', () => {
      assert.equal(render('[{{ .missing }}]'), '[]');
    });
    it('prints floats like Go (shortest form, exponent from 1e6)', () => {
      assert.equal(render('{{ .a }} {{ .b }} {{ .c }} {{ 1.5 }}', data('a: 3\nb: 1000000\nc: 0.25')), '3 1e+06 0.25 1.5');
    });
  });

  describe('pipelines, variables and fields', () => {
    it('passes the previous result as the last argument', () => {
      assert.equal(render('{{ "abc" | printf "%s-%s" "x" }}'), 'x-abc');
    });
    it('evaluates parenthesised pipelines and fields of their results', () => {
      assert.equal(render('{{ (dict "a" (dict "b" 7)).a.b }}'), '7');
    });
    it('declares and assigns variables; $ is the data passed in', () => {
      assert.equal(render('{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }} {{ $.name }}', data('name: nm')), '2 nm');
    });
    it('chains fields of maps and of variables', () => {
      assert.equal(render('{{ $v := .a }}{{ $v.b.c }}/{{ .a.b.c }}', data('a: {b: {c: deep}}')), 'deep/deep');
    });
    it('reports a field of nil as Go does', () => {
      const error = renderError('{{ .a.b.c }}', data('a: {}'));
      assert.match(error.message, /nil pointer evaluating interface \{\}\.c/);
      assert.match(error.message, /^template: t\.yaml:1:3: executing "t\.yaml" at <\.a\.b\.c>/);
    });
    it('refuses arguments to a non-function', () => {
      assert.match(renderError('{{ .a 1 }}', data('a: x')).message, /a is not a method but has arguments/);
    });
  });

  describe('control structures', () => {
    it('takes if / else if / else branches on Go truth', () => {
      const t = '{{ if .a }}A{{ else if .b }}B{{ else }}C{{ end }}';
      assert.equal(render(t, data('a: 1')), 'A');
      assert.equal(render(t, data('a: 0\nb: x')), 'B');
      assert.equal(render(t, data('a: ""\nb: {}')), 'C');
    });
    it('treats empty maps, lists, strings, zero and nil as false', () => {
      const t = '{{ range $k, $v := . }}{{ $k }}={{ if $v }}T{{ else }}F{{ end }} {{ end }}';
      assert.equal(render(t, data('e: {}\nl: []\ns: ""\nz: 0\nnil: null\nf: false\nt: [0]\nm: {a: 1}')), 'e=F f=F l=F m=T nil=F s=F t=T z=F ');
    });
    it('with sets dot, else with chains', () => {
      const t = '{{ with .a }}a={{ . }}{{ else with .b }}b={{ . }}{{ else }}none{{ end }}';
      assert.equal(render(t, data('a: 1')), 'a=1');
      assert.equal(render(t, data('b: 2')), 'b=2');
      assert.equal(render(t, data('{}')), 'none');
    });
    it('ranges over lists with index and element, over maps in key order, over ints', () => {
      assert.equal(render('{{ range $i, $v := .l }}{{ $i }}{{ $v }} {{ end }}', data('l: [a, b]')), '0a 1b ');
      assert.equal(render('{{ range $k, $v := .m }}{{ $k }}={{ $v }},{{ end }}', data('m: {b: 2, a: 1, c: 3}')), 'a=1,b=2,c=3,');
      assert.equal(render('{{ range 3 }}{{ . }}{{ end }}'), '012');
      assert.equal(render('{{ range $v := .l }}{{ $v }}{{ end }}', data('l: [x, w]')), 'xw');
    });
    it('assigns existing variables with range $i, $v = (Go 1.22)', () => {
      assert.equal(render('{{ $i := 0 }}{{ $v := "" }}{{ range $i, $v = .l }}{{ end }}{{ $i }}{{ $v }}', data('l: [a, b]')), '1b');
    });
    it('runs range else for an empty or nil collection', () => {
      assert.equal(render('{{ range .l }}x{{ else }}empty{{ end }}', data('l: []')), 'empty');
      assert.equal(render('{{ range .missing }}x{{ else }}empty{{ end }}'), 'empty');
    });
    it('supports break and continue', () => {
      assert.equal(render('{{ range .l }}{{ if eq . "b" }}{{ continue }}{{ end }}{{ if eq . "d" }}{{ break }}{{ end }}{{ . }}{{ end }}', data('l: [a, b, c, d, e]')), 'ac');
    });
    it('reads values as YAML 1.1, as Helm does: y, n, on and off are booleans', () => {
      assert.equal(render('{{ range $k, $v := . }}{{ $k }}={{ $v }} {{ end }}', data('a: on\nb: n\nc: "on"\ny: 1')), 'a=true b=false c=on true=1 ');
    });
    it('supports break and continue on int ranges', () => {
      assert.equal(render('{{ range $i := 6 }}{{ if eq $i 1 }}{{ continue }}{{ end }}{{ if eq $i 4 }}{{ break }}{{ end }}{{ $i }}{{ end }}'), '023');
    });
    it('scopes variables to their control structure', () => {
      assert.match(renderError('{{ if true }}{{ $x := 1 }}{{ end }}{{ $x }}').message, /undefined variable "\$x"/);
    });
  });

  describe('define, template, block', () => {
    it('calls named templates with a pipeline as dot', () => {
      assert.equal(render('{{ define "t" }}[{{ . }}]{{ end }}{{ template "t" "x" }}{{ template "t" }}'), '[x][]');
    });
    it('defines a block and uses it in place', () => {
      assert.equal(render('{{ block "b" . }}default {{ .v }}{{ end }}', data('v: 1')), 'default 1');
    });
    it('lets a later file redefine a template, but not with an empty body', () => {
      const partials = { 'z/_a.tpl': '{{ define "t" }}first{{ end }}{{ define "u" }}kept{{ end }}', 'a/_b.tpl': '{{ define "t" }}second{{ end }}{{ define "u" }}{{ end }}' };
      assert.equal(render('{{ template "t" }} {{ template "u" }}', undefined, partials), 'second kept');
    });
    it('names an unknown template', () => {
      assert.match(renderError('{{ template "nope" }}').message, /no template "nope" associated/);
    });
  });

  describe('comparison and logic', () => {
    it('eq compares several operands', () => {
      assert.equal(render('{{ eq .a "x" "y" "z" }} {{ eq .a "q" }}', data('a: z')), 'true false');
    });
    it('refuses to compare an int with a float64, as Go does', () => {
      assert.match(renderError('{{ eq .v 1 }}', data('v: 1')).message, /incompatible types for comparison/);
      assert.equal(render('{{ eq (int .v) 1 }}', data('v: 1')), 'true');
    });
    it('compares nil with anything as unequal, without error', () => {
      assert.equal(render('{{ eq .missing "x" }} {{ ne .missing "x" }}'), 'false true');
    });
    it('orders strings and numbers with lt le gt ge', () => {
      assert.equal(render('{{ lt "a" "b" }} {{ le 2 2 }} {{ gt 1.5 2.5 }} {{ ge 3 1 }}'), 'true true false true');
    });
    it('and/or return an operand and stop early (Go 1.18)', () => {
      assert.equal(render('{{ and 1 0 2 }} {{ or 0 "" "x" }} {{ and false (fail "not run") }} {{ or "y" (fail "not run") }}'), '0 x false y');
    });
    it('not, len (bytes), index, slice', () => {
      assert.equal(render('{{ not 0 }} {{ len "héllo" }} {{ len .l }} {{ index .m "k" 1 }} {{ slice "abcdef" 1 3 }}', data('l: [1, 2]\nm: {k: [a, b]}')), 'true 6 2 b bc');
      assert.match(renderError('{{ index .l 5 }}', data('l: [1]')).message, /index out of range: 5/);
    });
  });

  describe('printf and escaping', () => {
    const cases: Array<[string, string]> = [
      ['{{ printf "%s|%d|%v|%t" "s" 42 .m true }}', 's|42|map[a:1 b:[x]]|true'],
      ['{{ printf "%q" "a\\"b" }}', '"a\\"b"'],
      ['{{ printf "%05d|%-6s|%6s|%x|%X|%o|%b" 42 "ab" "cd" 255 255 8 5 }}', '00042|ab    |    cd|ff|FF|10|101'],
      ['{{ printf "%.2f|%8.3f|%e|%g" 3.14159 2.5 1234.5678 0.000012 }}', '3.14|   2.500|1.234568e+03|1.2e-05'],
      ['{{ printf "%d" "x" }}', '%!d(string=x)'],
      ['{{ printf "%s %s" "a" }}', 'a %!s(MISSING)'],
      ['{{ printf "%s" "a" "b" }}', 'a%!(EXTRA string=b)'],
      ['{{ printf "%x" "hi" }}', '6869'],
      ['{{ printf "%v %v" nil 1.0 }}', '<nil> 1'],
      ['{{ print 1 2 "a" "b" 3 }}', '1 2ab3'],
      ['{{ println 1 "a" }}', '1 a\n'],
      ['{{ html "<a href=\'x\'>&</a>" }}', '&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;'],
      ['{{ js "it\'s <b>" }}', "it\\'s \\u003Cb\\u003E"],
      ['{{ urlquery "a b&c=d/é" }}', 'a+b%26c%3Dd%2F%C3%A9'],
    ];
    for (const [template, expected] of cases) {
      it(`${template} gives ${JSON.stringify(expected)}`, () => assert.equal(render(template, data('m: {a: 1, b: [x]}')), expected));
    }
    it('refuses call', () => {
      assert.match(renderError('{{ call .f }}').message, /error calling call/);
    });
  });

  describe('parse errors', () => {
    it('gives one error for a half-typed action, naming the place', () => {
      const error = renderError('a: 1\nb: {{ .Values.x\nc: 3\nd: {{ .y }}\n');
      assert.equal(error.kind, 'parse');
      // Actions may span lines (Go 1.16+), so the next line is read as part of the action.
      assert.equal(error.message, 'template: t.yaml:3: function "c" not defined');
      const unclosed = renderError('a: 1\nb: {{');
      assert.equal(unclosed.message, 'template: t.yaml:2: unclosed action');
    });
    it('refuses unknown functions at parse time', () => {
      assert.match(renderError('{{ nosuch 1 }}').message, /function "nosuch" not defined/);
    });
    it('refuses a stray end and an unterminated if', () => {
      assert.match(renderError('{{ end }}').message, /unexpected \{\{end\}\}/);
      assert.match(renderError('{{ if 1 }}x').message, /unexpected EOF/);
    });
    it('refuses break outside range and bad numbers', () => {
      assert.match(renderError('{{ break }}').message, /\{\{break\}\} outside \{\{range\}\}/);
      assert.match(renderError('{{ 3x }}').message, /bad number syntax/);
    });
    it('reports unclosed comments and strings', () => {
      assert.match(renderError('{{/* x').message, /unclosed comment/);
      assert.match(renderError('{{ "abc }}').message, /unterminated quoted string/);
    });
  });

  describe('execution errors', () => {
    it('names the file, line, column and the function that failed', () => {
      const error = renderError('a: 1\nb: {{ required "b is required" .b }}\n');
      assert.equal(error.kind, 'fail');
      assert.equal(error.message, 'template: t.yaml:2:6: executing "t.yaml" at <required "b is required" .b>: error calling required: b is required');
    });
    it('checks argument types like Go', () => {
      assert.match(renderError('{{ trunc .v "abc" }}', data('v: 2')).message, /wrong type for value; expected int; got float64/);
      assert.match(renderError('{{ upper .missing }}').message, /invalid value; expected string/);
      assert.match(renderError('{{ upper }}').message, /wrong number of args for upper: want 1 got 0/);
    });
    it('points at the innermost failure inside an include', () => {
      const error = renderError('x: {{ include "p" . }}', data(''), { '_p.tpl': 'line\n{{ define "p" }}{{ fail "inner" }}{{ end }}' });
      assert.equal(error.file, 't.yaml');
      assert.equal(error.inner?.file, '_p.tpl');
      assert.equal(error.inner?.reason, 'error calling fail: inner');
    });
  });
});
