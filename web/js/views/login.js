// Log in and create an account, with the terminal client's rules: LOGIN
// first and an offer to create an unknown account; REGISTER in the one-word
// form first (the server may make the password and show it once), else
// with a password typed twice; e-mail names when the server asks for them.
import { $, busy } from '../ui.js';
import { errorText, setRules, rulesSentence } from '../errors.js';
import { isValidName, looksLikeEmail, whyNotAName } from '../session.js';

export class LoginView {
  constructor(session) {
    this.session = session;
    this.wantsPassword = false;
    this.pending = null; // {name, password} made by the server
    $('login-form').addEventListener('submit', (e) => {
      e.preventDefault();
      busy(e.target, () => this.logIn());
    });
    $('register-form').addEventListener('submit', (e) => {
      e.preventDefault();
      busy(e.target, () => this.register());
    });
    $('offer-register-yes').addEventListener('click', () => {
      $('register-name').value = $('login-name').value.trim();
      $('offer-register').hidden = true;
      $('register-form').requestSubmit();
    });
    $('generated-copy').addEventListener('click', () =>
      navigator.clipboard.writeText($('generated-password').textContent).catch(() => {}),
    );
    $('generated-continue').addEventListener('click', () => this.continueGenerated());
  }

  say(text) {
    $('login-message').textContent = text;
  }

  // What this server allows (RULES, a Caucus extension), said before the
  // person types anything; refusals then name the rule broken.
  async showRules() {
    const r = await this.session.command('RULES');
    if (!r.ok) return;
    const rules = Object.fromEntries(r.data.filter((d) => d[0] === 'RULE').map((d) => [d[1], d[2] ?? '']));
    setRules(rules);
    $('login-rules').textContent = rulesSentence(rules);
  }

  // The page has started and is not logged in: the name field has the
  // focus unless the person is already in a field.
  ready() {
    if (!document.activeElement || document.activeElement === document.body) $('login-name').focus();
  }

  show(message = '') {
    this.say(message);
    $('login-password').value = '';
    $('offer-register').hidden = true;
    $('generated').hidden = true;
    $('login-name').focus();
  }

  async logIn() {
    const name = $('login-name').value.trim();
    const password = $('login-password').value;
    if (!isValidName(name)) return this.say(whyNotAName(name));
    if (!password) return this.say('type your password');
    this.say('logging in…');
    try {
      const r = await this.session.login(name, password);
      $('login-password').value = '';
      if (r.ok) return this.say('');
      if (r.code === 'NO_SUCH_USER') {
        this.say(`there is no account ${name}`);
        $('offer-register-text').textContent = `There is no account ${name}. Create it?`;
        $('offer-register').hidden = false;
        $('offer-register-yes').focus();
        return;
      }
      this.say(errorText(r));
    } catch (e) {
      this.say(e.message);
    }
  }

  async register() {
    const name = $('register-name').value.trim();
    if (!isValidName(name)) return this.say(whyNotAName(name));
    let password = null;
    if (this.wantsPassword) {
      password = $('register-password').value;
      if (!password) return this.say('choose a password');
      if (password !== $('register-again').value) {
        $('register-again').value = '';
        return this.say('the two passwords differ; again, please');
      }
    }
    this.say('creating the account…');
    try {
      const { reply, generated, needsPassword } = await this.session.register(name, password);
      if (needsPassword) {
        this.wantsPassword = true;
        $('register-passwords').hidden = false;
        $('register-password').focus();
        return this.say('choose a password for the new account (twice)');
      }
      if (!reply.ok) {
        if (reply.code === 'DOMAIN_NOT_ALLOWED' && !looksLikeEmail(name)) {
          this.say(`${errorText(reply)}: give your e-mail address (name@example.org)`);
        } else {
          this.say(errorText(reply));
        }
        $('register-name').focus();
        return;
      }
      const made = reply.param(0);
      if (generated) {
        this.pending = { name: made, password: generated };
        $('generated-name').textContent = made;
        $('generated-password').textContent = generated;
        $('generated').hidden = false;
        this.say('');
        $('generated').focus();
        return;
      }
      $('register-password').value = '';
      $('register-again').value = '';
      this.say(`account ${made} created; logging in…`);
      const r = await this.session.login(made, password);
      if (!r.ok) this.say(errorText(r));
    } catch (e) {
      this.say(e.message);
    }
  }

  async continueGenerated() {
    if (!this.pending) return;
    const { name, password } = this.pending;
    this.pending = null;
    $('generated-password').textContent = '';
    $('generated').hidden = true;
    try {
      const r = await this.session.login(name, password);
      if (!r.ok) this.say(errorText(r));
    } catch (e) {
      this.say(e.message);
    }
  }
}
