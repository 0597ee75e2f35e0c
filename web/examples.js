// examples.js - copies of the checked-in example profiles (examples/*.json) for the
// wizard's "Load example" control, and the interviews of examples/ir-moderate.rank.json.
// The browser test checks that every example here equals its examples/*.json file.

export const EXAMPLES = [
  { id: 'ir-moderate', label: "IR, moderately competitive (US MD, 245)", profile: {"schema": "smartpick.profile/1", "name": "IR applicant, moderately competitive", "applicant_type": "us_md", "scores": {"step2_ck": 245, "failures": 0}, "clinical": {"honors": 0, "core_clerkships": 7, "aoa": false}, "research": {"publications": 2, "abstracts": 1, "presentations": 1, "experiences": 2, "by_specialty": {"IR": 1}}, "letters": {"IR": 1, "DR": 1}, "away_rotations": [], "home_programs": ["4203821156"], "red_flags": {"gap_months": 0, "professionalism": false, "reapplicant": false}, "visa": "none", "graduation_year": 2027, "geography": {"home_state": "OH", "school_state": "OH", "preferred_divisions": ["east_north_central", "middle_atlantic"], "ties": ["OH", "MI"]}, "values": {"patient_contact": 4, "procedural": 5, "imaging": 4, "lifestyle": 3, "income": 3}, "preferences": {"specialties": ["IR", "DR", "IM", "ANES"], "target_p_match": 0.9, "budget_usd": 1500, "esir_wanted": true}} },
  { id: 'ir-highly-competitive', label: "IR, highly competitive (US MD, 265, AOA)", profile: {"schema": "smartpick.profile/1", "name": "IR applicant, highly competitive", "applicant_type": "us_md", "scores": {"step2_ck": 265, "failures": 0}, "clinical": {"honors": 6, "core_clerkships": 7, "aoa": true}, "research": {"publications": 6, "abstracts": 5, "presentations": 4, "experiences": 4, "by_specialty": {"IR": 9, "DR": 2}}, "letters": {"IR": 3, "DR": 1}, "away_rotations": [{"specialty": "IR", "acgme_id": "4162300001"}, {"specialty": "IR", "acgme_id": "4163600002"}], "home_programs": ["4164800001", "4204821192"], "red_flags": {"gap_months": 0, "professionalism": false, "reapplicant": false}, "visa": "none", "graduation_year": 2027, "geography": {"home_state": "TX", "school_state": "TX", "preferred_divisions": ["west_south_central", "south_atlantic", "middle_atlantic"], "ties": ["TX"]}, "values": {"patient_contact": 4, "procedural": 5, "imaging": 5, "lifestyle": 3, "income": 4}, "preferences": {"specialties": ["IR", "DR", "VS", "IM"], "target_p_match": 0.95, "budget_usd": 2000, "program_type": "academic", "esir_wanted": true}} },
  { id: 'ir-at-risk', label: "IR, at-risk (US MD, 236, one failure)", profile: {"schema": "smartpick.profile/1", "name": "IR applicant, at risk", "applicant_type": "us_md", "scores": {"step2_ck": 236, "failures": 1}, "clinical": {"honors": 1, "core_clerkships": 7, "aoa": false}, "research": {"publications": 0, "abstracts": 1, "presentations": 0, "experiences": 1}, "letters": {"IR": 1, "IM": 2}, "away_rotations": [], "home_programs": [], "red_flags": {"gap_months": 0, "professionalism": false, "reapplicant": false}, "visa": "none", "graduation_year": 2027, "geography": {"home_state": "GA", "school_state": "GA", "preferred_divisions": ["south_atlantic"]}, "values": {"patient_contact": 3, "procedural": 5, "imaging": 4, "lifestyle": 4, "income": 3}, "preferences": {"specialties": ["IR", "DR", "IM", "PMR"], "target_p_match": 0.9, "budget_usd": 2500, "esir_wanted": true}} },
  { id: 'do-applicant', label: "US DO, IR first with DR and IM", profile: {"schema": "smartpick.profile/1", "name": "US DO applicant, IR with DR and IM backups", "applicant_type": "us_do", "scores": {"step2_ck": 252, "comlex2": 570, "failures": 0}, "clinical": {"honors": 3, "core_clerkships": 7, "aoa": false}, "research": {"publications": 2, "abstracts": 2, "presentations": 2, "experiences": 2, "by_specialty": {"IR": 3}}, "letters": {"IR": 2, "DR": 1, "IM": 1}, "away_rotations": [{"specialty": "IR", "acgme_id": "4162500002"}, {"specialty": "DR", "acgme_id": "4202521091"}], "home_programs": [], "red_flags": {"gap_months": 0, "professionalism": false, "reapplicant": false}, "visa": "none", "graduation_year": 2027, "geography": {"home_state": "MI", "school_state": "MI", "preferred_divisions": ["east_north_central", "middle_atlantic"], "ties": ["MI", "OH"]}, "values": {"patient_contact": 4, "procedural": 5, "imaging": 4, "lifestyle": 3, "income": 3}, "preferences": {"specialties": ["IR", "DR", "IM"], "target_p_match": 0.9, "budget_usd": 2000, "program_type": "any", "esir_wanted": true}} },
  { id: 'img-visa', label: "Non-US IMG needing a J-1, IM first", profile: {"schema": "smartpick.profile/1", "name": "Non-US IMG needing a J-1, internal medicine", "applicant_type": "non_us_img", "scores": {"step2_ck": 248, "failures": 0}, "clinical": {"honors": 0, "core_clerkships": 7, "aoa": false}, "research": {"publications": 3, "abstracts": 2, "presentations": 1, "experiences": 2, "by_specialty": {"IM": 3}}, "letters": {"IM": 3}, "away_rotations": [], "home_programs": [], "red_flags": {"gap_months": 10, "professionalism": false, "reapplicant": false}, "visa": "j1", "graduation_year": 2024, "geography": {"preferred_divisions": ["middle_atlantic", "east_north_central"], "ties": ["NY", "NJ"]}, "values": {"patient_contact": 5, "procedural": 2, "imaging": 2, "lifestyle": 3, "income": 3}, "preferences": {"specialties": ["IM", "NEURO"], "target_p_match": 0.8, "budget_usd": 3000, "program_type": "community"}} },
];

export const RANK_EXAMPLE = {
  "interviews": [
    {
      "acgme_id": "4163800004",
      "preference": 1,
      "signal": "gold",
      "advanced": true
    },
    {
      "acgme_id": "4162500001",
      "preference": 2,
      "signal": "gold",
      "advanced": true
    },
    {
      "acgme_id": "4161600005",
      "preference": 3,
      "advanced": true
    },
    {
      "acgme_id": "4163800002",
      "preference": 4,
      "signal": "silver",
      "advanced": true
    },
    {
      "acgme_id": "4203821156",
      "preference": 5,
      "signal": "gold",
      "advanced": true
    },
    {
      "acgme_id": "4203821232",
      "preference": 6,
      "advanced": true
    },
    {
      "acgme_id": "1403800003",
      "preference": 7
    },
    {
      "acgme_id": "1403800535",
      "preference": 8,
      "acceptable": false
    }
  ],
  "pgy1": [
    {
      "name": "Preliminary medicine, home institution",
      "preference": 1
    },
    {
      "name": "Transitional year, regional community hospital",
      "preference": 2
    },
    {
      "name": "Preliminary surgery, university hospital",
      "preference": 3
    }
  ]
};
