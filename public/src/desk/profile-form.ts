import { $ } from '../dom';
import { fillDistricts, matchProfile, mountUsccLookup, readProfile, showProblem, type MatchResult } from './services';

export type Profile = ReturnType<typeof readProfile>;

/**
 * The desk's company-profile form (#match-form), shared by the coaching and assisted-application pages: district
 * list, USCC lookup, and on submit the match of the profile. `keep` picks the results the page offers; they are
 * drawn by `render` into `resultForm`, which shows then. Submitting `resultForm` runs `send` with the profile last
 * matched; once it succeeds the form hides and `reload` refreshes the page's list (a failure shows in #error).
 * On a language switch the districts and, while the results show, the results are drawn again (`relabel` redraws
 * the rest of the page).
 */
export function mountProfileForm(opts: {
  resultForm: string;
  keep: (results: MatchResult[]) => MatchResult[];
  render: (kept: MatchResult[]) => void;
  send: (profile: Profile) => Promise<void>;
  reload: () => Promise<void>;
  beforeMatch?: () => void;
  relabel: () => void;
}): void {
  let profile: Profile | undefined;
  let kept: MatchResult[] = [];
  fillDistricts();
  mountUsccLookup();
  $('#match-form').addEventListener('submit', (e) => {
    e.preventDefault();
    $('#error').hidden = true;
    opts.beforeMatch?.();
    profile = readProfile();
    matchProfile(profile.company, profile.need).then((results) => {
      kept = opts.keep(results);
      $(opts.resultForm).hidden = false;
      opts.render(kept);
    }, showProblem);
  });
  $(opts.resultForm).addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!profile) return;
    $('#error').hidden = true;
    try {
      await opts.send(profile);
      $(opts.resultForm).hidden = true;
      await opts.reload();
    } catch (err) {
      showProblem(err);
    }
  });
  document.addEventListener('langchange', () => {
    fillDistricts();
    opts.relabel();
    if (!$(opts.resultForm).hidden) opts.render(kept);
  });
}
