import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { Container, ContainerModule, inject, injectable } from 'inversify';

const A = Symbol('A');
@injectable()
class B {
  constructor(@inject(A) readonly a: number) {}
}
describe('inversify', () => {
  it('wires', () => {
    const c = new Container();
    c.load(
      new ContainerModule(({ bind }) => {
        bind(A).toConstantValue(3);
        bind(B).toSelf();
      }),
    );
    expect(c.get(B).a).toBe(3);
  });
});
