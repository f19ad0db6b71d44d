import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

// functions/<name>/ is wiring only (ARCHITECTURE §2, STYLE practice 1): handler.ts builds the deps, app.ts
// chains the middleware to one core that lives in shared/<capability>. A core left in a function folder
// cannot be tested or reused without the handler, and one handler importing another couples two deployments.
const ROOT = path.resolve(import.meta.dirname, '../../..');
const FUNCTIONS = readdirSync(path.join(ROOT, 'functions'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

function sourceOf(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(path.join(ROOT, file), 'utf8'), ts.ScriptTarget.Latest, true);
}

function importsOf(source: ts.SourceFile): string[] {
  return source.statements.flatMap((statement) => ((ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) && statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier) ? [statement.moduleSpecifier.text] : []));
}

/** Top-level functions (declarations and arrow functions bound to a const) other than makeHandler. */
function coresOf(source: ts.SourceFile): string[] {
  return source.statements.flatMap((statement) => {
    if (ts.isFunctionDeclaration(statement) && statement.name) return [statement.name.text];
    if (ts.isVariableStatement(statement)) return statement.declarationList.declarations.flatMap((declaration) => (ts.isIdentifier(declaration.name) && declaration.initializer && (ts.isArrowFunction(declaration.initializer) || ts.isFunctionExpression(declaration.initializer)) ? [declaration.name.text] : []));
    return [];
  }).filter((name) => name !== 'makeHandler');
}

describe('functions/ is wiring only', () => {
  it.each(FUNCTIONS.filter((name) => readdirSync(path.join(ROOT, 'functions', name)).includes('app.ts')))('functions/%s imports no other function folder, and defines no core of its own', (name) => {
    const files = readdirSync(path.join(ROOT, 'functions', name)).filter((file) => file.endsWith('.ts')).map((file) => `functions/${name}/${file}`);
    for (const file of files) {
      const source = sourceOf(file);
      const foreign = importsOf(source).filter((specifier) => specifier.startsWith('.') && !specifier.startsWith('./') && !specifier.startsWith('../../shared/'));
      expect({ file, foreign }).toEqual({ file, foreign: [] });
      expect({ file, cores: coresOf(source) }).toEqual({ file, cores: [] });
    }
  });
});
