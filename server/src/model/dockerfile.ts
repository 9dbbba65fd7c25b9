/**
 * What a Dockerfile says about the user its image runs as, read from its text alone (the Dockerfile
 * reference: `FROM image [AS name]`, `USER user[:group]`, `ARG`/`ENV` defaults, `\` line
 * continuations, the `# escape=` directive). Pure: the host reads the file and passes its text.
 */

export interface DockerfileUser {
  /** USER of the stage that is built (the last one, or the named `target`), inherited through `FROM <stage>`; undefined when no stage sets one. */
  readonly user?: string;
  /** Whether that user is root (`root`, `0`, `0:0`); undefined when no USER is set. */
  readonly root?: boolean;
  /** The image the built stage starts from, when it is not an earlier stage; it decides the user when no USER is set. */
  readonly baseImage?: string;
  /** 1-based line of the deciding USER instruction. */
  readonly line?: number;
}

interface Stage {
  readonly name?: string;
  readonly baseImage?: string;
  readonly parent?: Stage;
  user?: string;
  line?: number;
  readonly variables: Map<string, string>;
}

/** Dockerfiles larger than this are not read: no real one is, and a huge file must not stall analysis. */
const MAX_DOCKERFILE_LENGTH = 1_000_000;

/**
 * The user of the stage `target` (or the last stage) of a Dockerfile. Returns undefined for text
 * that has no FROM (not a Dockerfile) or is too large.
 */
export function dockerfileUser(text: string, target?: string): DockerfileUser | undefined {
  if (text.length > MAX_DOCKERFILE_LENGTH) return undefined;
  const escape = /^#\s*escape\s*=\s*`/im.test(text.split('\n').slice(0, 5).join('\n')) ? '`' : '\\';
  const globals = new Map<string, string>();
  const stages: Stage[] = [];
  for (const { instruction, argument, line } of instructions(text, escape)) {
    const current = stages[stages.length - 1];
    const variables = current?.variables ?? globals;
    if (instruction === 'ARG' || instruction === 'ENV') {
      // `ARG NAME` without a value inside a stage takes the global ARG's default.
      for (const [name, value, bare] of assignments(argument, instruction)) variables.set(name, bare && instruction === 'ARG' ? (globals.get(name) ?? '') : substitute(value, variables, globals));
    } else if (instruction === 'FROM') {
      const words = argument.split(/\s+/).filter((word) => !word.startsWith('--'));
      const image = substitute(words[0] ?? '', globals, globals);
      const name = words[1]?.toUpperCase() === 'AS' ? words[2] : undefined;
      const parent = stages.find((stage) => stage.name !== undefined && stage.name.toLowerCase() === image.toLowerCase());
      stages.push({ name, baseImage: parent ? undefined : image, parent, user: parent?.user, line: parent?.line, variables: new Map(parent?.variables ?? []) });
    } else if (instruction === 'USER' && current) {
      current.user = substitute(argument.trim(), current.variables, globals);
      current.line = line;
    }
  }
  if (stages.length === 0) return undefined;
  const built = (target ? stages.find((stage) => stage.name?.toLowerCase() === target.toLowerCase()) : undefined) ?? stages[stages.length - 1];
  let origin: Stage | undefined = built;
  while (origin?.parent) origin = origin.parent;
  const user = built.user === '' ? undefined : built.user;
  return { user, root: user === undefined ? undefined : isRootUser(user), baseImage: origin?.baseImage, line: built.line };
}

/** `root`, `0`, `root:root`, `0:0`: the user part names root. */
export function isRootUser(user: string): boolean {
  const name = user.split(':')[0].trim().toLowerCase();
  return name === 'root' || name === '0';
}

function* instructions(text: string, escape: string): Generator<{ instruction: string; argument: string; line: number }> {
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let line = lines[i];
    if (/^\s*#/.test(line) || line.trim() === '') continue;
    // Continuation lines end with the escape character; comment lines inside are skipped.
    while (line.trimEnd().endsWith(escape) && i + 1 < lines.length) {
      line = line.trimEnd().slice(0, -1);
      i++;
      if (/^\s*#/.test(lines[i])) {
        line += ' ';
        continue;
      }
      line += ' ' + lines[i];
    }
    const match = /^\s*([A-Za-z]+)\s*(.*)$/.exec(line);
    if (match) yield { instruction: match[1].toUpperCase(), argument: match[2], line: start + 1 };
  }
}

/** `ARG NAME=value`, `ENV NAME=value OTHER="x y"`, `ENV NAME value` (legacy form). */
function assignments(argument: string, instruction: string): Array<[name: string, value: string, bare: boolean]> {
  const text = argument.trim();
  if (instruction === 'ENV' && /^[A-Za-z_][A-Za-z0-9_]*\s+[^=]*$/.test(text) && !text.includes('=')) {
    const [name, ...rest] = text.split(/\s+/);
    return [[name, rest.join(' '), false]];
  }
  const pairs: Array<[string, string, boolean]> = [];
  for (const match of text.matchAll(/([A-Za-z_][A-Za-z0-9_]*)(?:=("(?:[^"\\]|\\.)*"|'[^']*'|\S*))?/g)) {
    const value = match[2] ?? '';
    pairs.push([match[1], value.replace(/^(["'])(.*)\1$/, '$2'), match[2] === undefined]);
  }
  return pairs;
}

/** `$NAME`, `${NAME}`, `${NAME:-default}` from the stage's ARG/ENV values (else the global ARGs). */
function substitute(value: string, variables: ReadonlyMap<string, string>, globals: ReadonlyMap<string, string>): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, braced: string | undefined, fallback: string | undefined, bare: string | undefined) => {
    const name = braced ?? bare ?? '';
    const known = variables.get(name) ?? globals.get(name);
    if (known !== undefined && known !== '') return known;
    return fallback ?? whole;
  });
}
