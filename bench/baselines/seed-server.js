// The baseline of `npm run bench:server`: the auth server (authServer.js, port 5000) and the
// resource server (server.js, port 4000) the way the seed tutorial writes them, in one file.
// express + jsonwebtoken, HS256, refresh tokens in an in-memory array, no password check
// ("Suppose the user authentication is already done"), 30 s access tokens. Kept as written,
// weaknesses included (that is the point of a baseline): the array is searched linearly,
// refresh tokens never rotate or expire, everything is lost on restart.
//
// The only additions: the apps are exported (and listen on 5000/4000 when run directly),
// `/articles-noauth` is the same route without the middleware (the framework's no-auth
// figure), and `seedRefreshTokens()` fills the array with N sessions as N logins would.
// The seed loads ACCESS_TOKEN_SECRET / REFRESH_TOKEN_SECRET from .env with dotenv; the bench
// sets them in the environment instead (dotenv is not a dependency here).
const express = require('express');
const jwt = require('jsonwebtoken');

// authServer.js
const authApp = express();
authApp.use(express.json());

let refreshTokens = [];

const generateAccessToken = (user) => {
  return jwt.sign(user, process.env.ACCESS_TOKEN_SECRET, { expiresIn: '30s' });
};

authApp.post('/login', (req, res) => {
  // ...
  // Suppose the user authentication is already done

  const username = req.body.username;
  const user = { name: username };

  const accessToken = generateAccessToken(user);
  const refreshToken = jwt.sign(user, process.env.REFRESH_TOKEN_SECRET);
  // pushing the refreshToken generated for this particular user.
  refreshTokens.push(refreshToken);
  res.json({ accessToken: accessToken, refreshToken: refreshToken });
});

// generates a new access token with the help of the refresh token;
authApp.post('/token', (req, res) => {
  // getting the token value from the body
  const refreshToken = req.body.token;
  if (!refreshToken) return res.sendStatus(401);
  // if it doesn't belong to the array we created to store all the refreshTokens
  // then return Unauthorized.
  if (!refreshTokens.includes(refreshToken)) return res.sendStatus(403);

  jwt.verify(refreshToken, process.env.REFRESH_TOKEN_SECRET, (err, user) => {
    if (err) return res.sendStatus(403);
    // if the user is found generate a new access token
    const accessToken = generateAccessToken({ name: user.name });
    res.json({ accessToken: accessToken });
  });
});

authApp.delete('/logout', (req, res) => {
  refreshTokens = refreshTokens.filter((token) => token !== req.body.token);
  res.sendStatus(204);
});

// server.js
const app = express();
app.use(express.json());

const articles = [
  { id: 1, name: 'Atul Kumar', title: 'First Article' },
  { id: 2, name: 'John Doe', title: 'Second Article' },
  { id: 3, name: 'Don Joe', title: 'Third Article' },
];

const authenticateToken = (req, res, next) => {
  // getting the authorization information
  // biome-ignore lint/complexity/useLiteralKeys: the seed's code, kept as written
  const authHeader = req.headers['authorization'];
  // In our case It's JWT authantication
  // biome-ignore lint/complexity/useOptionalChain: the seed's code, kept as written
  const token = authHeader && authHeader.split(' ')[1];

  if (!token) return res.sendStatus(401); // No token found;

  // verify if there is a user corrosponding to the token found in the
  // authorization header.
  jwt.verify(token, process.env.ACCESS_TOKEN_SECRET, (err, user) => {
    if (err) return res.sendStatus(403); // The token is there but it's not valid;
    req.user = user.name;
    // proceeding to the next action controller.
    next();
  });
};

app.get('/articles', authenticateToken, (req, res) => {
  res.json(articles.filter((article) => req.user === article.name));
});

// Bench addition: the same route without authentication.
app.get('/articles-noauth', (_req, res) => {
  res.json(articles.filter((article) => 'Atul Kumar' === article.name));
});

/** Bench addition: N sessions in the array, as N logins of distinct users would leave it. */
function seedRefreshTokens(count) {
  const made = [];
  for (let i = 0; i < count; i++) {
    const refreshToken = jwt.sign({ name: `user${i}` }, process.env.REFRESH_TOKEN_SECRET);
    refreshTokens.push(refreshToken);
    made.push(refreshToken);
  }
  return made;
}

module.exports = { authApp, app, seedRefreshTokens };

if (require.main === module) {
  authApp.listen(5000);
  app.listen(4000);
}
