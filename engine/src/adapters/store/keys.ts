/** Bot keys and namespaces as the stores accept them: the structural half of tenant isolation. */
import { TenancyError } from '../../ports/store.ts';

const PART = /^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/;

/** Checks `namespace/name` and returns its namespace; throws TenancyError naming the bad key. */
export function namespaceOfKey(botKey: string): string {
  const slash = botKey.indexOf('/');
  const namespace = botKey.slice(0, slash);
  const name = botKey.slice(slash + 1);
  if (slash < 0 || !PART.test(namespace) || !PART.test(name)) {
    throw new TenancyError(`bot key ${JSON.stringify(botKey)} must be "namespace/name"`);
  }
  return namespace;
}

/** Checks a namespace name; throws TenancyError naming it when malformed. */
export function assertNamespace(namespace: string): string {
  if (!PART.test(namespace)) {
    throw new TenancyError(`namespace ${JSON.stringify(namespace)} is not a valid namespace name`);
  }
  return namespace;
}

/** Checks that `botKey` lies inside `namespace`; throws TenancyError otherwise. */
export function assertInNamespace(botKey: string, namespace: string): void {
  if (namespaceOfKey(botKey) !== namespace) {
    throw new TenancyError(`bot key ${JSON.stringify(botKey)} is outside namespace "${namespace}"`);
  }
}
