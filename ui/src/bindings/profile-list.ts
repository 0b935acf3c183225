/* eslint-disable */
/**
 * Generated, do not edit; run `npm --prefix ui run gen:types`.
 * Source: schemas/profile-list.schema.json
 */

/**
 * The profiles, and which platform the window works with now.
 */
export interface ProfileList {
  profiles: ProfileInfo[];
  /**
   * The profile of the session the window works with now (`demo`, `demo-<user>`: the embedded
   * demo platform as one of its users).
   */
  current?: string;
  /**
   * The embedded demo platform's users the window may act as (with a token it makes and keeps in
   * memory); empty when the desktop app does not embed one.
   */
  demoUsers?: string[];
}
/**
 * A profile as the window lists it: never its token, only whether the keyring holds one.
 *
 * This interface was referenced by `ProfileList`'s JSON-Schema
 * via the `definition` "ProfileInfo".
 */
export interface ProfileInfo {
  name: string;
  url: string;
  user: string;
  /**
   * Whether it is the profile in use.
   */
  active: boolean;
  /**
   * Whether the OS keyring holds its token (false: sign in again); absent when the keyring could
   * not be asked.
   */
  signedIn?: boolean;
}
