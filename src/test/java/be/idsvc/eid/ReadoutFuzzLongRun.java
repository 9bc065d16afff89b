package be.idsvc.eid;

import org.junit.jupiter.api.BeforeAll;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * {@link ReadoutFuzzTest}'s target fuzzed for 600 s, on demand only:
 * {@code mvn test -Dtest=ReadoutFuzzLongRun}. Its name is outside surefire's default includes, so
 * {@code mvn verify} runs only the 20 s variant (Jazzer fuzzes one test per run).
 */
class ReadoutFuzzLongRun {
    @BeforeAll
    static void aTrustedCard() throws Exception {
        ReadoutFuzzTest.aTrustedCard();
    }

    @FuzzTest(maxDuration = "600s")
    void parsingNeverFailsOtherThanByRefusingForTenMinutes(FuzzedDataProvider data) {
        ReadoutFuzzTest.oneInput(data);
    }
}
