"""The static world a drill is played on: terrain, zones, roads, facilities."""
