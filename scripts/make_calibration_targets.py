#!/usr/bin/env python3
"""Build data/calibration_targets.csv from data/specialty_facts.csv.

Each target keeps the year and source URL of the figure it comes from. Run from the
repository root: python3 scripts/make_calibration_targets.py > data/calibration_targets.csv
"""
import csv
import sys

CODES = ["IR", "DR", "IM", "GS", "VS", "ANES", "EM", "NEURO", "PMR"]
# metric -> (target name, tolerance, unit)
PER_SPECIALTY = [
    ("match_rate_us_md_senior", "match_rate_us_md", 0.02, "fraction"),
    ("step2_matched_median", "step2_matched_median", 3, "score"),
    ("step2_unmatched_median", "step2_unmatched_median", 3, "score"),
    ("step2_matched_q1", "step2_matched_q1", 4, "score"),
    ("step2_matched_q3", "step2_matched_q3", 4, "score"),
]
INPUTS = ["n_matched_us_md_senior", "n_unmatched_us_md_senior", "positions",
          "applicants_first_choice", "applicants_per_position", "applications_per_applicant",
          "pgy1_positions_offered", "pgy2_positions_offered"]

facts = {}
for row in csv.DictReader(open("data/specialty_facts.csv")):
    facts[(row["code"], row["metric"], row["applicant_type"])] = row

out = csv.writer(sys.stdout, lineterminator="\n")
out.writerow(["kind", "code", "applicant_type", "name", "value", "tolerance", "unit", "year",
              "source_url"])
for code in CODES:
    for metric, name, tol, unit in PER_SPECIALTY:
        row = facts.get((code, metric, "us_md"))
        if row:
            out.writerow(["target", code, "us_md", name, row["value"], tol, unit, row["year"],
                          row["source_url"]])
    for metric in INPUTS:
        for t in ("all", "us_md"):
            row = facts.get((code, metric, t))
            if row:
                out.writerow(["input", code, t, metric, row["value"], "", row["unit"], row["year"],
                              row["source_url"]])
                break
for t in ("us_do", "us_img", "non_us_img", "us_md"):
    row = facts[("ALL", "match_rate", t)]
    kind = "check" if t == "us_md" else "target"
    out.writerow([kind, "ALL", t, "match_rate_overall", row["value"], 0.02, "fraction",
                  row["year"], row["source_url"]])
for t in ("us_md", "us_do", "img"):
    row = facts[("ALL", "applications_per_applicant", t)]
    out.writerow(["input", "ALL", t, "applications_per_applicant", row["value"], "", "count",
                  row["year"], row["source_url"]])
for metric in ("step2_matched_median", "step2_unmatched_median"):
    row = facts[("ALL", metric, "non_us_img")]
    out.writerow(["input", "ALL", "non_us_img", metric, row["value"], "", "score", row["year"],
                  row["source_url"]])
for metric in ("step2_national_mean", "step2_national_sd"):
    row = facts[("ALL", metric, "us_md")]
    out.writerow(["input", "ALL", "all", metric, row["value"], "", "score", row["year"],
                  row["source_url"]])
