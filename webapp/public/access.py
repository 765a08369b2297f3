"""What the public board may show about people (no sign-in, so no one is responsible).

A resident's name or phone never appears on a public page. A red steward or building
head is named, with their phone, only when they agreed to be on the board
(`Building.steward_phone_public`); otherwise the board says to ask the community.
Opinion-box requests show only their status and public reply.
"""


def steward_entry(building):
    """The board's row for a building's steward."""
    consented = bool(building.steward_phone_public and building.steward is not None)
    return {
        "building": building.name,
        "role": building.steward_role_label,
        "name": building.steward.name if consented else "",
        "phone": building.steward.phone if consented and building.steward.phone else "",
    }
