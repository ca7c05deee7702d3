// @ts-check
/**
 * The articles of the demo: a small in-memory list, as in the seed documents (`name` is the
 * author's username). Every user who asks gets a few generated articles of their own, so a
 * fresh account has something to read.
 */

/** @typedef {{ id: number, name: string, title: string, body: string }} Article */

const TOPICS = [
  ['Why refresh tokens rotate', 'Every use returns a new one; a stolen copy is spotted on reuse.'],
  ['Reading a JWT safely', 'Decode locally, verify against the JWKS, never paste it into a website.'],
  ['Sessions you can end', 'Log out of one device, or of every device at once.'],
];

/**
 * Creates the article list, seeded with the seed documents' two authors.
 *
 * @example
 * ```js
 * const articles = createArticles();
 * articles.forUser('alice'); // three articles whose name is 'alice'
 * articles.all();            // everybody's
 * ```
 */
export function createArticles() {
  /** @type {Article[]} */
  const list = [
    { id: 1, name: 'Kyle', title: 'Post 1', body: 'The first article of the seed documents.' },
    { id: 2, name: 'Jim', title: 'Post 2', body: 'The second article of the seed documents.' },
  ];
  /** Usernames are compared case-insensitively, as the auth server does. */
  const key = (/** @type {string} */ name) => name.normalize('NFKC').toLowerCase();
  const seeded = new Set(list.map((a) => key(a.name)));
  /** Bounded: a demo must not grow without limit however many accounts are made. */
  const MAX_AUTHORS = 1000;

  return {
    /**
     * The articles of `name` (generated on first use).
     * @param {string} name
     * @returns {Article[]}
     */
    forUser(name) {
      if (!seeded.has(key(name)) && seeded.size < MAX_AUTHORS) {
        seeded.add(key(name));
        for (const [title, body] of TOPICS) {
          list.push({
            id: list.length + 1,
            name,
            title: /** @type {string} */ (title),
            body: /** @type {string} */ (body),
          });
        }
      }
      return list.filter((a) => key(a.name) === key(name));
    },
    /** @returns {Article[]} every article. */
    all() {
      return [...list];
    },
  };
}
