import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../bindings';
import { findingsToErrorSchema, parsePointer, pointerToFieldId, toPointer } from './pointer';

function finding(path: string, message: string, severity: Finding['severity'] = 'error'): Finding {
  return { rule: 'schema', severity, path, message, hint: 'fix it' };
}

describe('parsePointer', () => {
  it('splits tokens and decodes ~1 and ~0 (in that order)', () => {
    expect(parsePointer('')).toEqual([]);
    expect(parsePointer('/name')).toEqual(['name']);
    expect(parsePointer('/description/purpose')).toEqual(['description', 'purpose']);
    expect(parsePointer('/a~1b/c~0d')).toEqual(['a/b', 'c~d']);
    expect(parsePointer('/~01')).toEqual(['~1']);
    expect(parsePointer('/')).toEqual(['']);
    expect(parsePointer('#/outputPorts/0')).toEqual(['outputPorts', '0']);
  });

  it('round-trips with toPointer', () => {
    for (const p of ['', '/name', '/a~1b/c~0d', '/outputPorts/0/name', '/~01']) {
      expect(toPointer(parsePointer(p))).toBe(p);
    }
  });

  it('gives the rjsf field id', () => {
    expect(pointerToFieldId('/name')).toBe('root_name');
    expect(pointerToFieldId('/outputPorts/0/name')).toBe('root_outputPorts_0_name');
    expect(pointerToFieldId('')).toBe('root');
  });
});

describe('findingsToErrorSchema', () => {
  it('nests object members', () => {
    expect(findingsToErrorSchema([finding('/description/purpose', 'Too short')])).toEqual({
      description: { purpose: { __errors: ['Too short'] } },
    });
  });

  it('uses array indices as keys', () => {
    expect(
      findingsToErrorSchema([
        finding('/outputPorts/0/name', 'Name missing'),
        finding('/outputPorts/2/version', 'Bad version'),
      ]),
    ).toEqual({
      outputPorts: {
        0: { name: { __errors: ['Name missing'] } },
        2: { version: { __errors: ['Bad version'] } },
      },
    });
  });

  it('puts the whole-document finding at the root', () => {
    expect(findingsToErrorSchema([finding('', 'Document is empty')])).toEqual({
      __errors: ['Document is empty'],
    });
  });

  it('decodes escaped tokens', () => {
    expect(
      findingsToErrorSchema([finding('/a~1b/c~0d', 'escaped')]),
    ).toEqual({ 'a/b': { 'c~d': { __errors: ['escaped'] } } });
  });

  it('accumulates several findings on one field and keeps siblings', () => {
    expect(
      findingsToErrorSchema([
        finding('/name', 'Required'),
        finding('/name', 'Too long', 'warning'),
        finding('/id', 'Not a UUID'),
        finding('/description', 'Object'),
        finding('/description/usage', 'Empty'),
      ]),
    ).toEqual({
      name: { __errors: ['Required', 'Too long'] },
      id: { __errors: ['Not a UUID'] },
      description: { __errors: ['Object'], usage: { __errors: ['Empty'] } },
    });
  });

  it('accepts a custom text', () => {
    expect(
      findingsToErrorSchema([finding('/name', 'Required')], (f) => `${f.message} (${f.hint})`),
    ).toEqual({ name: { __errors: ['Required (fix it)'] } });
  });
});
