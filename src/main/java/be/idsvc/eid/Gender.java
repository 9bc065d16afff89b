package be.idsvc.eid;

import static be.idsvc.eid.ReadoutRejected.Reason.GENDER_INVALID;

/** Gender as the card states it (tag 13): {@code M}, or {@code F}/{@code V}/{@code W} (French, Dutch, German) for female. */
public enum Gender {
    MALE("male"), FEMALE("female");

    private final String claim;

    Gender(String claim) {
        this.claim = claim;
    }

    /** The OpenID Connect {@code gender} claim value. */
    public String claim() {
        return claim;
    }

    public static Gender fromCard(String value) throws ReadoutRejected {
        if (value != null) {
            switch (value) {
                case "M": return MALE;
                case "F", "V", "W": return FEMALE;
                default: break;
            }
        }
        throw new ReadoutRejected(GENDER_INVALID, "gender (tag 13) is not one of M, F, V, W");
    }
}
