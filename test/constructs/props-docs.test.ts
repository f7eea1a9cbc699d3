/**
 * Props docs are complete: every property of every interface the package exports (from the
 * entry points of package.json "exports", the same list as typedoc.json's entryPoints) has a
 * doc comment, and every optional property has an `@default` tag — `@default <value>`, or
 * `@default - <what happens>` where the default is computed. Never `@default undefined`.
 *
 * TypeDoc's `validation.notDocumented` enforces the summaries on everything it renders; this
 * test adds the `@default` half, which TypeDoc does not check.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import ts from 'typescript';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const ENTRY_POINTS: readonly string[] = JSON.parse(readFileSync(join(ROOT, 'typedoc.json'), 'utf8')).entryPoints;

/** A property of the public API whose docs are incomplete. */
interface Offender {
  readonly file: string;
  readonly line: number;
  /** `Interface.prop`, naming the interface that declares the property. */
  readonly name: string;
  readonly problem: 'no doc comment' | 'no @default' | '@default undefined';
  readonly optional: boolean;
  /** The comment states a default in prose (`… by default`) instead of an `@default` tag. */
  readonly proseDefault: boolean;
}

const PROSE_DEFAULT = /\bby default\b|\bdefaults? (?:to|is)\b|\(default[:\s]|\bdefault:|\b(?:when|if) (?:omitted|unset|not set|not given|absent)\b/i;

function summaryOf(decl: ts.Node): string {
  return ts
    .getJSDocCommentsAndTags(decl)
    .filter(ts.isJSDoc)
    .map((doc) => ts.getTextOfJSDocComment(doc.comment) ?? '')
    .join('\n')
    .trim();
}

function defaultTagOf(decl: ts.Node): string | undefined {
  const tag = ts.getJSDocTags(decl).find((t) => t.tagName.text === 'default' || t.tagName.text === 'defaultValue');
  return tag ? (ts.getTextOfJSDocComment(tag.comment) ?? '').trim() : undefined;
}

/** The interfaces (and object-literal type aliases) exported from the given entry files, following re-exports. */
function exportedInterfaces(program: ts.Program, entryFiles: readonly string[]): Map<ts.Symbol, ts.Declaration> {
  const checker = program.getTypeChecker();
  const found = new Map<ts.Symbol, ts.Declaration>();
  for (const file of entryFiles) {
    const source = program.getSourceFile(file);
    assert.ok(source, `entry point ${file} is not in the program`);
    const moduleSymbol = checker.getSymbolAtLocation(source);
    if (!moduleSymbol) continue;
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const decl = symbol.declarations?.find(
        (d) => ts.isInterfaceDeclaration(d) || (ts.isTypeAliasDeclaration(d) && ts.isTypeLiteralNode(d.type)),
      );
      if (decl) found.set(symbol, decl);
    }
  }
  return found;
}

/**
 * Every property of every exported interface — its own and the ones it inherits — that lacks
 * a doc comment, or is optional and lacks an `@default` tag. `isOwnFile` picks the files whose
 * declarations are checked (inherited properties declared in dependencies are not ours to document).
 */
function propsDocsOffenders(program: ts.Program, entryFiles: readonly string[], isOwnFile: (fileName: string) => boolean): Offender[] {
  const checker = program.getTypeChecker();
  const seen = new Set<ts.Node>();
  const offenders: Offender[] = [];
  for (const [symbol] of exportedInterfaces(program, entryFiles)) {
    for (const property of checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(symbol))) {
      for (const decl of property.declarations ?? []) {
        if (!(ts.isPropertySignature(decl) || ts.isMethodSignature(decl)) || seen.has(decl)) continue;
        seen.add(decl);
        const source = decl.getSourceFile();
        if (!isOwnFile(source.fileName)) continue;
        const owner = decl.parent;
        const ownerName =
          ts.isInterfaceDeclaration(owner) ? owner.name.text
          : ts.isTypeLiteralNode(owner) && ts.isTypeAliasDeclaration(owner.parent) ? owner.parent.name.text
          : symbol.name;
        const summary = summaryOf(decl);
        const defaultTag = defaultTagOf(decl);
        const optional = decl.questionToken !== undefined;
        const problem: Offender['problem'] | undefined =
          summary === '' ? 'no doc comment'
          : !optional ? undefined
          : defaultTag === undefined || defaultTag === '' ? 'no @default'
          : defaultTag === 'undefined' ? '@default undefined'
          : undefined;
        if (!problem) continue;
        offenders.push({
          file: relative(ROOT, source.fileName).split(sep).join('/'),
          line: source.getLineAndCharacterOfPosition(decl.getStart()).line + 1,
          name: `${ownerName}.${property.name}`,
          problem,
          optional,
          proseDefault: optional && defaultTag === undefined && PROSE_DEFAULT.test(summary),
        });
      }
    }
  }
  return offenders.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

/**
 * The public fields of every exported class — property declarations and constructor parameter
 * properties that are not private or protected — that lack a doc comment (TypeDoc's own check
 * leaves properties out, since it also reports the nested keys of inferred object types).
 */
function classFieldOffenders(program: ts.Program, entryFiles: readonly string[], isOwnFile: (fileName: string) => boolean): Offender[] {
  const checker = program.getTypeChecker();
  const offenders: Offender[] = [];
  const seen = new Set<ts.Node>();
  for (const file of entryFiles) {
    const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(file)!);
    for (const exported of moduleSymbol ? checker.getExportsOfModule(moduleSymbol) : []) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      for (const decl of symbol.declarations ?? []) {
        if (!ts.isClassDeclaration(decl) || seen.has(decl) || !isOwnFile(decl.getSourceFile().fileName)) continue;
        seen.add(decl);
        const ctor = decl.members.find(ts.isConstructorDeclaration);
        const fields: ts.NamedDeclaration[] = [
          ...decl.members.filter(ts.isPropertyDeclaration),
          ...(ctor?.parameters.filter((p) => ts.isParameterPropertyDeclaration(p, ctor)) ?? []),
        ];
        for (const field of fields) {
          const modifiers = ts.getCombinedModifierFlags(field as ts.Declaration);
          if (modifiers & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected) || (field.name && ts.isPrivateIdentifier(field.name))) continue;
          const documented = ts.getJSDocCommentsAndTags(field).some((doc) => (ts.getTextOfJSDocComment(doc.comment) ?? '').trim() !== '');
          if (documented) continue;
          const source = field.getSourceFile();
          offenders.push({
            file: relative(ROOT, source.fileName).split(sep).join('/'),
            line: source.getLineAndCharacterOfPosition(field.getStart()).line + 1,
            name: `${decl.name?.text ?? 'default'}.${field.name?.getText() ?? '?'}`,
            problem: 'no doc comment',
            optional: false,
            proseDefault: false,
          });
        }
      }
    }
  }
  return offenders.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

function describeOffenders(offenders: readonly Offender[]): string {
  return offenders.map((o) => `${o.file}:${o.line} ${o.name} — ${o.problem}${o.optional ? '' : ' (required prop)'}${o.proseDefault ? ' (default stated in prose)' : ''}`).join('\n');
}

/** A program over in-memory sources (under ROOT/virtual/), with the real lib files. */
function inMemoryProgram(files: Record<string, string>): { program: ts.Program; entry: string } {
  const options: ts.CompilerOptions = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, strict: true, noEmit: true };
  const virtual = new Map(Object.entries(files).map(([name, text]) => [join(ROOT, 'virtual', name), text]));
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (fileName, languageVersion, ...rest) => {
    const text = virtual.get(fileName);
    return text !== undefined ? ts.createSourceFile(fileName, text, languageVersion, true) : getSourceFile.call(host, fileName, languageVersion, ...rest);
  };
  host.fileExists = (fileName) => virtual.has(fileName) || fileExists.call(host, fileName);
  host.readFile = (fileName) => virtual.get(fileName) ?? readFile.call(host, fileName);
  const { directoryExists } = host;
  host.directoryExists = (dir) => dir === join(ROOT, 'virtual') || (directoryExists ? directoryExists.call(host, dir) : true);
  const entry = join(ROOT, 'virtual', 'index.ts');
  return { program: ts.createProgram([entry], options, host), entry };
}

let cached: { program: ts.Program; entries: string[]; isOwnFile: (fileName: string) => boolean } | undefined;

/** The program over the package's entry points; the kit's own files under constructs/, not the generated imports. */
function packageProgram(): NonNullable<typeof cached> {
  if (cached) return cached;
  const config = ts.getParsedCommandLineOfConfigFile(join(ROOT, 'tsconfig.build.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(ts.flattenDiagnosticMessageText(d.messageText, '\n')) });
  assert.ok(config);
  const entries = ENTRY_POINTS.map((e) => join(ROOT, e));
  const constructs = join(ROOT, 'constructs') + sep;
  const generated = join(ROOT, 'constructs', 'imports') + sep;
  cached = {
    program: ts.createProgram(entries, { ...config.options, noEmit: true }),
    entries,
    isOwnFile: (fileName) => resolve(fileName).startsWith(constructs) && !resolve(fileName).startsWith(generated),
  };
  return cached;
}

describe('props docs', () => {
  it('the checker reports undocumented props and optional props without @default', () => {
    const { program, entry } = inMemoryProgram({
      'index.ts': "export * from './widget.js';\nexport type { Aliased } from './alias.js';\n",
      'widget.ts': [
        'interface BaseProps {',
        '  readonly inherited?: string;',
        '}',
        '/** Props of a widget. */',
        'export interface WidgetProps extends BaseProps {',
        '  /** Documented and required. */',
        '  readonly name: string;',
        '  readonly size?: number;',
        '  /** The colour, `blue` by default. */',
        '  readonly colour?: string;',
        '  /**',
        '   * The shape.',
        '   * @default undefined',
        '   */',
        '  readonly shape?: string;',
        '  /**',
        '   * The count.',
        '   * @default 1',
        '   */',
        '  readonly count?: number;',
        '  /**',
        '   * The label.',
        '   * @default - the name',
        '   */',
        '  readonly label?: string;',
        '}',
        'interface NotExported {',
        '  readonly hidden?: string;',
        '}',
        'export const unused: NotExported = {};',
      ].join('\n'),
      'alias.ts': 'export type Aliased = {\n  /** Documented, no default. */\n  readonly a?: string;\n};\n',
    });
    const offenders = propsDocsOffenders(program, [entry], (f) => f.startsWith(join(ROOT, 'virtual')));
    assert.deepEqual(
      offenders.map((o) => [o.file, o.line, o.name, o.problem, o.proseDefault]),
      [
        ['virtual/alias.ts', 3, 'Aliased.a', 'no @default', false],
        ['virtual/widget.ts', 2, 'BaseProps.inherited', 'no doc comment', false],
        ['virtual/widget.ts', 8, 'WidgetProps.size', 'no doc comment', false],
        ['virtual/widget.ts', 10, 'WidgetProps.colour', 'no @default', true],
        ['virtual/widget.ts', 15, 'WidgetProps.shape', '@default undefined', false],
      ],
    );
    assert.match(describeOffenders(offenders), /^virtual\/alias\.ts:3 Aliased\.a — no @default$/m);
  });

  it('the checker reports public class fields without a doc comment', () => {
    const { program, entry } = inMemoryProgram({
      'index.ts': "export { Widget } from './widget.js';\n",
      'widget.ts': [
        '/** A widget. */',
        'export class Widget {',
        '  /** Documented. */',
        '  public readonly name: string = "w";',
        '  public readonly size: number = 1;',
        '  private readonly secret = 1;',
        '  constructor(',
        '    readonly colour: string,',
        '    /** Documented. */',
        '    readonly shape: string,',
        '    private readonly hidden: string,',
        '  ) {}',
        '}',
      ].join('\n'),
    });
    const offenders = classFieldOffenders(program, [entry], (f) => f.startsWith(join(ROOT, 'virtual')));
    assert.deepEqual(offenders.map((o) => [o.file, o.line, o.name]), [
      ['virtual/widget.ts', 5, 'Widget.size'],
      ['virtual/widget.ts', 8, 'Widget.colour'],
    ]);
  });

  it('every prop of every exported interface has a doc comment, and every optional prop an @default', () => {
    const { program, entries, isOwnFile } = packageProgram();
    const offenders = propsDocsOffenders(program, entries, isOwnFile);
    assert.ok(exportedInterfaces(program, entries).size > 50, 'the entry points export the public interfaces');
    assert.equal(offenders.length, 0, `props with incomplete docs:\n${describeOffenders(offenders)}`);
  });

  it('every public field of every exported class has a doc comment', () => {
    const { program, entries, isOwnFile } = packageProgram();
    const offenders = classFieldOffenders(program, entries, isOwnFile);
    assert.equal(offenders.length, 0, `class fields without docs:\n${describeOffenders(offenders)}`);
  });
});
