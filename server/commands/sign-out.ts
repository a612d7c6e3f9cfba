import { actorFromToken, type TokenSettings } from '../auth';
import type { Db } from '../db';
import { bumpTokenVersion } from '../../models/users';

/** Ends every session of the token's user (their token version moves on); a token that is no longer valid changes nothing. */
export async function signOut({ db, input, tokens }: { db: Db; input: { token?: string }; tokens: TokenSettings }): Promise<void> {
  const actor = input.token ? await actorFromToken(db, input.token, tokens) : null;
  if (actor) await bumpTokenVersion(db, actor.id);
}
