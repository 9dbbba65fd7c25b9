import * as assert from 'node:assert/strict';
import { compareYamlKeys, toYamlTraced } from '../../server/src/frontends/helm/serialize';
import { sha256Hex } from '../../server/src/frontends/helm/template/crypto';
import { satisfies } from '../../server/src/frontends/helm/template/semver';
import { data, render, renderError } from './support/render';

const dot = data(`
s: "  Hello World  "
name: my-app
list: [b, a, b, c]
map: {b: 2, a: 1, nested: {x: 1}}
empty: ""
zero: 0
num: 3
str3: "3"
tag: "1.25.3"
multi: "line1\\nline2\\n"
`);

// Sprig semantics (Masterminds/sprig v3 docs and source) and Helm's own functions.
const cases: Array<[string, string]> = [
  // strings
  ['{{ .s | trim }}', 'Hello World'],
  ['{{ trimAll "-" "--a-b--" }} {{ trimPrefix "pre" "prefix" }} {{ trimSuffix "-" "name-" }}', 'a-b fix name'],
  ['{{ upper "ab" }} {{ lower "AB" }} {{ title "hello world" }}', 'AB ab Hello World'],
  ['{{ quote "a" 1 }} {{ squote "b" }} {{ quote .missing }}|', '"a" "1" \'b\' |'],
  ['{{ contains "ell" "hello" }} {{ hasPrefix "he" "hello" }} {{ hasSuffix "lo" "hello" }}', 'true true true'],
  ['{{ replace "a" "b" "banana" }}', 'bbnbnb'],
  ['{{ split "," "a,b" }} {{ splitList "," "a,b" }} {{ join "-" .list }}', 'map[_0:a _1:b] [a b] b-a-b-c'],
  ['{{ regexMatch "^[a-z]+$" "abc" }} {{ regexFind "[0-9]+" "ab12cd34" }} {{ regexReplaceAll "(a)(b)" "xaby" "${2}$1" }} {{ regexReplaceAllLiteral "a" "aa" "$1" }}', 'true 12 xbay $1$1'],
  ['{{ "x\\ny" | indent 2 }}|{{ "x\\ny" | nindent 2 }}', '  x\n  y|\n  x\n  y'],
  ['{{ trunc 3 "abcdef" }} {{ trunc -2 "abcdef" }} {{ substr 1 3 "abcdef" }} {{ repeat 3 "ab" }}', 'abc ef bc ababab'],
  ['{{ b64enc "héllo" }} {{ b64dec "aMOpbGxv" }}', 'aMOpbGxv héllo'],
  ['{{ sha256sum "abc" }}', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
  ['{{ toString 1 }} {{ toString .num }} {{ toStrings (list 1 "a" true) }}', '1 3 [1 a true]'],
  ['{{ cat "a" 1 nil "b" }}', 'a 1 b'],
  // numbers
  ['{{ int .num }} {{ int64 .str3 }} {{ float64 "1.5" }} {{ atoi "42" }} {{ int "x" }}', '3 3 1.5 42 0'],
  ['{{ add 1 2 .num }} {{ sub 5 .num }} {{ mul 2 3 4 }} {{ div 7 2 }} {{ mod 7 3 }} {{ add1 .num }} {{ max 1 5 3 }} {{ min 4 2 }}', '6 2 24 3 1 4 5 2'],
  ['{{ floor 1.7 }} {{ until 3 }} {{ untilStep 0 10 4 }}', '1 [0 1 2] [0 4 8]'],
  // defaults and logic
  ['{{ default "d" .empty }} {{ default "d" .name }} {{ default "d" .zero }} {{ default "d" .missing }}', 'd my-app d d'],
  ['{{ empty .empty }} {{ empty .map }} {{ empty .zero }} {{ empty (dict) }}', 'true false true true'],
  ['{{ coalesce .missing .empty "c" "d" }} {{ ternary "yes" "no" true }} {{ ternary "yes" "no" false }}', 'c yes no'],
  // lists
  ['{{ list 1 "a" }} {{ append .list "d" }} {{ prepend .list "z" }} {{ first .list }} {{ last .list }}', '[1 a] [b a b c d] [z b a b c] b c'],
  ['{{ rest .list }} {{ initial .list }} {{ uniq .list }} {{ has "a" .list }} {{ without .list "b" }}', '[a b c] [b a b] [b a c] true [a c]'],
  ['{{ compact (list "" "a" 0 nil "b") }} {{ concat (list 1) (list 2 3) }} {{ reverse .list }} {{ sortAlpha .list }}', '[a b] [1 2 3] [c b a b] [a b b c]'],
  // dicts
  ['{{ $d := dict "a" 1 "b" 2 }}{{ get $d "a" }} {{ get $d "zz" }}| {{ hasKey $d "b" }} {{ keys $d }} {{ values $d }}', '1 | true [a b] [1 2]'],
  ['{{ $d := dict "a" 1 }}{{ $_ := set $d "b" 2 }}{{ $_ := unset $d "a" }}{{ $d }}', 'map[b:2]'],
  ['{{ pick .map "a" }} {{ omit .map "a" "nested" }} {{ pluck "a" .map (dict "a" 9) }} {{ dig "nested" "x" "def" .map }} {{ dig "nope" "x" "def" .map }}', 'map[a:1] map[b:2] [1 9] 1 def'],
  ['{{ merge (dict "a" 1 "f" false) (dict "a" 2 "b" 3 "f" true) }} {{ mergeOverwrite (dict "a" 1 "f" true) (dict "a" 2 "f" false) }}', 'map[a:1 b:3 f:true] map[a:2 f:false]'],
  ['{{ $c := deepCopy .map }}{{ $_ := set $c.nested "x" 5 }}{{ .map.nested.x }} {{ $c.nested.x }}', '1 5'],
  // types
  ['{{ kindOf .map }} {{ kindOf .list }} {{ kindOf .num }} {{ kindOf 1 }} {{ kindIs "string" .name }} {{ typeOf .map }} {{ typeIs "float64" .num }}', 'map slice float64 int true map[string]interface {} true'],
  ['{{ deepEqual (list 1 (dict "a" 2)) (list 1 (dict "a" 2)) }}', 'true'],
  // semver
  ['{{ semverCompare ">=1.21-0" .tag }} {{ semverCompare "<1.25" .tag }} {{ semverCompare "^1.2" "1.9.0" }} {{ semverCompare "~1.25.0" "1.25.9" }}', 'true false true true'],
  ['{{ $v := semver "1.2.3-beta+m" }}{{ $v.Major }}.{{ $v.Minor }}.{{ $v.Patch }}', '1.2.3'],
  // deterministic stand-ins
  ['{{ len (randAlphaNum 10) }} {{ eq (randAlphaNum 8) (randAlphaNum 8) }} {{ uuidv4 }}', '10 false 00000000-0000-4000-8000-000000000000'],
  ['{{ now | date "2006-01-02T15:04:05Z07:00" }} {{ date "Jan 2, 2006" 0 }}', '2025-01-01T00:00:00Z Jan 1, 1970'],
  ['{{ (genCA "ca" 365).Cert | hasPrefix "-----BEGIN CERTIFICATE-----" }}', 'true'],
  // Helm
  ['{{ toYaml .map }}', 'a: 1\nb: 2\nnested:\n  x: 1'],
  ['{{ toJson .map }} {{ toJson "<a>" }} {{ toRawJson "<a>" }}', '{"a":1,"b":2,"nested":{"x":1}} "\\u003ca\\u003e" "<a>"'],
  ['{{ toPrettyJson (dict "a" (list 1)) }}', '{\n  "a": [\n    1\n  ]\n}'],
  ['{{ (fromYaml "a: 1\\nb: [x]").b }} {{ (fromYaml "a: [").Error | contains "" }} {{ fromYamlArray "- 1\\n- 2" }} {{ (fromJson "{\\"k\\": 2}").k }}', '[x] true [1 2] 2'],
  ['{{ lookup "v1" "Secret" "ns" "name" }}', 'map[]'],
  ['{{ getHostByName "example.com" }}|{{ osBase "/a/b.txt" }} {{ mustRegexFindAll "[0-9]" "a1b2" -1 }} {{ b32dec (b32enc "hi") }}', '|b.txt [1 2] hi'],
  ['{{ tpl "{{ .name }}-x" . }}', 'my-app-x'],
  ['{{ required "need it" .name }}', 'my-app'],
];

describe('Sprig and Helm functions', () => {
  for (const [template, expected] of cases) {
    it(`${template} gives ${JSON.stringify(expected)}`, () => assert.equal(render(template, dot), expected));
  }
  it('required and fail stop with the given message', () => {
    assert.match(renderError('{{ required "x is required" .missing }}', dot).message, /error calling required: x is required$/);
    assert.match(renderError('{{ required "x is required" .empty }}', dot).message, /x is required/);
    assert.match(renderError('{{ fail "stop here" }}', dot).message, /error calling fail: stop here$/);
  });
  it('include renders a named template into a string that pipes on', () => {
    assert.equal(render('{{ include "p" . | upper | quote }}', dot, { '_p.tpl': '{{ define "p" }}{{ .name }}{{ end }}' }), '"MY-APP"');
  });
  it('env and expandenv are not there (Helm removes them)', () => {
    assert.match(renderError('{{ env "HOME" }}').message, /function "env" not defined/);
  });
});

describe('toYaml (go-yaml v2 output)', () => {
  const y = (yaml: string) => toYamlTraced(data(yaml)).text;
  it('sorts keys with digit runs compared as numbers, letters after other characters', () => {
    assert.deepEqual(['a10', 'a2', 'b', 'A', '_x', '1'].sort(compareYamlKeys), ['_x', '1', 'A', 'a2', 'a10', 'b']);
  });
  it('quotes strings YAML 1.1 would read otherwise, and leaves others plain', () => {
    assert.equal(y('a: "true"\nb: "1.5"\nc: "yes"\nd: plain text\ne: ""\nf: "x: y"\ng: "*"\nh: "0755"'), 'a: "true"\nb: "1.5"\nc: "yes"\nd: plain text\ne: ""\nf: \'x: y\'\ng: \'*\'\nh: "0755"');
  });
  it('does not indent sequences under keys, indents maps in sequences', () => {
    assert.equal(y('a:\n  - x\n  - k: 1\n    l: [2]\nb: []\nc: {}'), 'a:\n- x\n- k: 1\n  l:\n  - 2\nb: []\nc: {}');
  });
  it('writes multi-line strings as literal blocks with the right chomping', () => {
    assert.equal(y('a: "x\\ny"\nb: "x\\n"'), 'a: |-\n  x\n  y\nb: |\n  x');
  });
});

describe('helpers', () => {
  it('sha256 matches the FIPS 180-4 test vector of the empty string', () => {
    assert.equal(sha256Hex(''), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    assert.equal(sha256Hex('a'.repeat(1000)), '41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3');
  });
  it('semver constraints: ranges, wildcards, pre-releases need a pre-release comparator', () => {
    assert.equal(satisfies('>= 1.2, < 2.0', '1.5.0'), true);
    assert.equal(satisfies('1.2.x', '1.2.9'), true);
    assert.equal(satisfies('1.2 - 1.4', '1.4.5'), true);
    assert.equal(satisfies('>=1.21', '1.25.0-eks.1'), false);
    assert.equal(satisfies('>=1.21-0', '1.25.0-eks.1'), true);
    assert.equal(satisfies('<1.0 || >=3', '3.1.0'), true);
  });
});
