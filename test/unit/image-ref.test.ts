import { describe, expect, it } from 'vitest';
import { formatImageRef, imageName, parseImageRef } from '../../src/util/image-ref.js';

describe('image refs as Flux v1 parses them', () => {
  it.each([
    ['nginx', { domain: '', image: 'nginx', tag: '', digest: '' }],
    ['nginx:1.19', { domain: '', image: 'nginx', tag: '1.19', digest: '' }],
    ['weaveworks/helloworld:master-a000001', { domain: '', image: 'weaveworks/helloworld', tag: 'master-a000001', digest: '' }],
    ['quay.io/weaveworks/helloworld:v1', { domain: 'quay.io', image: 'weaveworks/helloworld', tag: 'v1', digest: '' }],
    ['localhost:5000/foo:bar', { domain: 'localhost:5000', image: 'foo', tag: 'bar', digest: '' }],
    ['my.registry/app', { domain: 'my.registry', image: 'app', tag: '', digest: '' }],
    ['a/b/c:d', { domain: 'a', image: 'b/c', tag: 'd', digest: '' }],
    ['nginx@sha256:abc123', { domain: '', image: 'nginx', tag: '', digest: 'sha256:abc123' }],
  ])('%s', (input, expected) => {
    const ref = parseImageRef(input);
    expect(ref).toEqual(expected);
    expect(formatImageRef(ref)).toBe(input);
  });

  it('names without the tag', () => {
    expect(imageName(parseImageRef('quay.io/weaveworks/helloworld:v1'))).toBe('quay.io/weaveworks/helloworld');
  });

  it.each([
    ['', 'parsing "": blank image name: invalid image ID'],
    ['/nginx', 'parsing "/nginx": expected image name as either <image>:<tag> or just <image>: invalid image ID'],
    ['nginx:', 'parsing "nginx:": expected image name as either <image>:<tag> or just <image>: invalid image ID'],
    ['a:b:c', 'expected image name as either <image>:<tag> or just <image>: invalid image ID'],
  ])('rejects %j', (input, message) => {
    expect(() => parseImageRef(input)).toThrow(message);
  });
});
