"""Grid carbon intensity by cloud region (`bill --grid-region`): average operational gross
emissions per kWh of the local grid, by Google Cloud region, as Google publishes them.

Source: GoogleCloudPlatform/region-carbon-info data/yearly/2024.csv (commit df92714), the
machine-readable copy of cloud.google.com/sustainability/region-carbon; "Grid carbon intensity
(gCO2eq / kWh)" column, 2024 data.  Other providers' regions are not in a sourced table here:
pass --grid-gco2-per-kwh.
"""

from __future__ import annotations

SOURCE = ("GoogleCloudPlatform/region-carbon-info data/yearly/2024.csv (commit df92714), "
          "grid carbon intensity of Google Cloud regions, 2024")
AS_OF = "2024"

# region id → (location, gCO2eq per kWh)
GRID_GCO2_PER_KWH: dict[str, tuple[str, float]] = {
    "africa-south1": ("Johannesburg", 656.85),
    "asia-east1": ("Taiwan", 439.29),
    "asia-east2": ("Hong Kong", 505.02),
    "asia-northeast1": ("Tokyo", 452.85),
    "asia-northeast2": ("Osaka", 296.19),
    "asia-northeast3": ("Seoul", 356.57),
    "asia-south1": ("Mumbai", 678.76),
    "asia-south2": ("Delhi", 531.83),
    "asia-southeast1": ("Singapore", 366.85),
    "asia-southeast2": ("Jakarta", 560.55),
    "australia-southeast1": ("Sydney", 497.50),
    "australia-southeast2": ("Melbourne", 454.37),
    "europe-central2": ("Warsaw", 642.88),
    "europe-north1": ("Finland", 39.32),
    "europe-north2": ("Stockholm", 2.73),
    "europe-southwest1": ("Madrid", 89.04),
    "europe-west1": ("Belgium", 103.37),
    "europe-west2": ("London", 105.94),
    "europe-west3": ("Frankfurt", 275.82),
    "europe-west4": ("Eemshaven", 208.81),
    "europe-west6": ("Zürich", 15.05),
    "europe-west8": ("Milan", 201.69),
    "europe-west9": ("Paris", 16.30),
    "europe-west10": ("Berlin", 275.82),
    "europe-west12": ("Turin", 201.69),
    "me-central2": ("Dammam", 382.23),
    "me-west1": ("Tel Aviv", 433.75),
    "northamerica-northeast1": ("Montréal", 5.48),
    "northamerica-northeast2": ("Toronto", 58.56),
    "northamerica-south1": ("Mexico", 305.00),
    "southamerica-east1": ("São Paulo", 67.32),
    "southamerica-west1": ("Santiago", 238.00),
    "us-central1": ("Iowa", 412.72),
    "us-east1": ("South Carolina", 575.77),
    "us-east2": ("Georgia", 340.42),
    "us-east4": ("Northern Virginia", 323.05),
    "us-south1": ("Dallas", 302.95),
    "us-west1": ("Oregon", 79.23),
    "us-west2": ("Los Angeles", 169.28),
    "us-west3": ("Salt Lake City", 555.17),
    "us-west4": ("Las Vegas", 357.30),
}
