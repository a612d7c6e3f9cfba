import { $ } from '../dom';
import { fillDistricts, matchProfile, mountUsccLookup, readProfile, showProblem, type MatchResult } from './services';

export type Profile = ReturnType<typeof readProfile>;

/**
 * The desk's company-profile form (#match-form), shared by the coaching and assisted-application pages: district
 * list, USCC lookup, and on submit the match of the profile. `keep` picks the results the page offers; they are
 * drawn by `render` into `resultForm`, which shows then. On a language switch the districts and, while the results
 * show, the results are drawn again (`relabel` redraws the rest of the page).
 * @returns the profile last matched (what the page sends with its own form).
 */
export function mountProfileForm(opts: {
  resultForm: string;
  keep: (results: MatchResult[]) => MatchResult[];
  render: (kept: MatchResult[]) => void;
  beforeMatch?: () => void;
  relabel: () => void;
}): () => Profile | undefined {
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
  document.addEventListener('langchange', () => {
    fillDistricts();
    opts.relabel();
    if (!$(opts.resultForm).hidden) opts.render(kept);
  });
  return () => profile;
}
