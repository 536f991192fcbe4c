#!/usr/bin/env python3
"""Writes a roster CSV of made-up member cities that, added to the demo's, bring the network to
its real size (425 cities, Dec 2025) for the map benchmark. Cities are scattered around real
towns of many countries with a fixed seed, so every run draws the same map.

Usage: bench/roster.py COUNT CLUSTER_SLUG... > roster.csv
"""
import csv
import random
import sys

# (country, English name, Italian name, latitude, longitude, time zone) of a town to scatter
# cities around: every UNESCO region, dense where the GNLC is dense (Europe, East Asia).
ANCHORS = [
    ("IT", "Italy", "Italia", 43.0, 12.0, "Europe/Rome"),
    ("ES", "Spain", "Spagna", 40.4, -3.7, "Europe/Madrid"),
    ("FR", "France", "Francia", 46.5, 2.5, "Europe/Paris"),
    ("DE", "Germany", "Germania", 51.0, 10.0, "Europe/Berlin"),
    ("GB", "United Kingdom", "Regno Unito", 53.0, -1.5, "Europe/London"),
    ("IE", "Ireland", "Irlanda", 53.3, -7.5, "Europe/Dublin"),
    ("PT", "Portugal", "Portogallo", 39.5, -8.2, "Europe/Lisbon"),
    ("GR", "Greece", "Grecia", 39.0, 22.0, "Europe/Athens"),
    ("PL", "Poland", "Polonia", 52.0, 19.0, "Europe/Warsaw"),
    ("UA", "Ukraine", "Ucraina", 49.0, 31.0, "Europe/Kyiv"),
    ("FI", "Finland", "Finlandia", 62.0, 25.0, "Europe/Helsinki"),
    ("TR", "Türkiye", "Turchia", 39.0, 35.0, "Europe/Istanbul"),
    ("US", "United States", "Stati Uniti", 39.0, -95.0, "America/Chicago"),
    ("CA", "Canada", "Canada", 49.0, -100.0, "America/Winnipeg"),
    ("MX", "Mexico", "Messico", 20.0, -100.0, "America/Mexico_City"),
    ("CO", "Colombia", "Colombia", 5.0, -74.0, "America/Bogota"),
    ("BR", "Brazil", "Brasile", -20.0, -46.0, "America/Sao_Paulo"),
    ("AR", "Argentina", "Argentina", -33.0, -62.0, "America/Argentina/Buenos_Aires"),
    ("CL", "Chile", "Cile", -33.4, -70.6, "America/Santiago"),
    ("PE", "Peru", "Perù", -12.0, -77.0, "America/Lima"),
    ("CN", "China", "Cina", 31.0, 114.0, "Asia/Shanghai"),
    ("KR", "Republic of Korea", "Repubblica di Corea", 36.5, 127.5, "Asia/Seoul"),
    ("JP", "Japan", "Giappone", 35.5, 137.0, "Asia/Tokyo"),
    ("IN", "India", "India", 20.0, 77.0, "Asia/Kolkata"),
    ("ID", "Indonesia", "Indonesia", -7.0, 110.0, "Asia/Jakarta"),
    ("TH", "Thailand", "Thailandia", 15.0, 101.0, "Asia/Bangkok"),
    ("VN", "Viet Nam", "Vietnam", 16.0, 107.0, "Asia/Ho_Chi_Minh"),
    ("PH", "Philippines", "Filippine", 13.0, 122.0, "Asia/Manila"),
    ("AU", "Australia", "Australia", -33.0, 147.0, "Australia/Sydney"),
    ("IR", "Iran", "Iran", 33.0, 53.0, "Asia/Tehran"),
    ("EG", "Egypt", "Egitto", 29.0, 31.0, "Africa/Cairo"),
    ("MA", "Morocco", "Marocco", 32.0, -6.5, "Africa/Casablanca"),
    ("SA", "Saudi Arabia", "Arabia Saudita", 24.0, 45.0, "Asia/Riyadh"),
    ("JO", "Jordan", "Giordania", 31.5, 36.0, "Asia/Amman"),
    ("NG", "Nigeria", "Nigeria", 8.0, 7.0, "Africa/Lagos"),
    ("GH", "Ghana", "Ghana", 7.0, -1.0, "Africa/Accra"),
    ("KE", "Kenya", "Kenya", -0.5, 37.0, "Africa/Nairobi"),
    ("ET", "Ethiopia", "Etiopia", 9.0, 39.0, "Africa/Addis_Ababa"),
    ("ZA", "South Africa", "Sudafrica", -29.0, 26.0, "Africa/Johannesburg"),
    ("SN", "Senegal", "Senegal", 14.5, -15.0, "Africa/Dakar"),
]
# Europe and East Asia hold most members: their anchors are drawn three times as often.
WEIGHTS = [3 if a[5].startswith(("Europe/", "Asia/Shanghai", "Asia/Seoul")) else 1 for a in ANCHORS]


def main() -> None:
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    count = int(sys.argv[1])
    clusters = sys.argv[2:]
    rng = random.Random(425)
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["slug", "name_en", "name_it", "country", "country_en", "country_it",
                  "latitude", "longitude", "timezone", "joined", "clusters", "geonames_id"])
    for n in range(1, count + 1):
        code, en, it, lat, lon, tz = rng.choices(ANCHORS, WEIGHTS)[0]
        member = rng.sample(clusters, k=rng.choice([0, 1, 1, 1, 2]))
        roles = [f"{c}:lead" if rng.random() < 0.04 else c for c in member]
        out.writerow([
            f"bench-{n:03}", f"Bench City {n:03}", f"Città di prova {n:03}", code, en, it,
            f"{max(-55.0, min(70.0, lat + rng.uniform(-4, 4))):.4f}",
            f"{max(-179.9, min(179.9, lon + rng.uniform(-6, 6))):.4f}",
            tz, rng.randint(2015, 2025), ";".join(roles), "",
        ])


if __name__ == "__main__":
    main()
