package dev.vigil.operators.threat.cep;

import dev.vigil.operators.threat.enrich.EnrichedEvent;
import dev.vigil.operators.threat.rules.RuleDefinition;
import dev.vigil.operators.threat.rules.RuleValidationException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.cep.configuration.SharedBufferCacheConfig;
import org.apache.flink.cep.nfa.ComputationState;
import org.apache.flink.cep.nfa.NFA;
import org.apache.flink.cep.nfa.NFAState;
import org.apache.flink.cep.nfa.NFAStateSerializer;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.nfa.compiler.NFACompiler;
import org.apache.flink.cep.nfa.sharedbuffer.SharedBuffer;
import org.apache.flink.cep.nfa.sharedbuffer.SharedBufferAccessor;
import org.apache.flink.configuration.Configuration;

/**
 * Runs one rule's compiled NFA for the current key, the way Flink's {@code CepOperator} does, but
 * inside Vigil's own operator so that many rules can share it and change while it runs.
 *
 * <p>This is the only class that touches flink-cep internals ({@code NFA}, {@code NFAState}, {@code
 * SharedBuffer}); they carry no stability annotation, so flink-cep is pinned and the engine's
 * harness tests guard upgrades. State lives under names prefixed with the rule id.
 */
public final class CepRuleRunner implements AutoCloseable {

    /**
     * No skip strategy inside the NFA: with one, a completed match waits until every partial match
     * that started earlier has finished (up to the rule's whole window), which would delay alerts
     * by minutes. Instead the engine resets the rule for the key after a match ({@link
     * Session#reset()}).
     */
    private static final AfterMatchSkipStrategy SKIP = AfterMatchSkipStrategy.noSkip();

    private final NFA<EnrichedEvent> nfa;
    private final SharedBuffer<EnrichedEvent> buffer;
    private final ValueState<NFAState> nfaState;
    private final PrefixedStateStore store;

    public CepRuleRunner(
            RuleDefinition rule, RuntimeContext context, TypeSerializer<EnrichedEvent> serializer)
            throws RuleValidationException {
        this.nfa = NFACompiler.compileFactory(RulePatternCompiler.compile(rule), false).createNFA();
        try {
            nfa.open(context, new Configuration());
        } catch (Exception e) {
            throw new IllegalStateException("cannot open the NFA of rule " + rule.id(), e);
        }
        this.store = new PrefixedStateStore(context, statePrefix(rule.id()));
        this.nfaState = store.getState(new ValueStateDescriptor<>("nfa", new NFAStateSerializer()));
        this.buffer = new SharedBuffer<>(store, serializer, new SharedBufferCacheConfig());
    }

    /** Prefix of every state name of rule {@code ruleId}. */
    public static String statePrefix(String ruleId) {
        return "rule." + ruleId + ".";
    }

    /**
     * Descriptors of the NFA state of rule {@code ruleId}, for clearing it across all keys. A
     * throw-away shared buffer reveals the names and serializers flink-cep uses.
     */
    public static List<StateDescriptor<?, ?>> stateDescriptors(
            String ruleId, RuntimeContext context, TypeSerializer<EnrichedEvent> serializer) {
        PrefixedStateStore store = new PrefixedStateStore(context, statePrefix(ruleId));
        store.getState(new ValueStateDescriptor<>("nfa", new NFAStateSerializer()));
        new SharedBuffer<>(store, serializer, new SharedBufferCacheConfig())
                .releaseCacheStatisticsTimer();
        return List.copyOf(store.descriptors());
    }

    /** Starts working on the current key. */
    public Session session() throws Exception {
        NFAState state = nfaState.value();
        return new Session(state == null ? nfa.createInitialNFAState() : state);
    }

    /** Longest time span of the pattern, ms (0 when unbounded). */
    public long windowTime() {
        return nfa.getWindowTime();
    }

    @Override
    public void close() throws Exception {
        buffer.releaseCacheStatisticsTimer();
        nfa.close();
    }

    /** The rule's NFA state for one key, loaded once and written back once. */
    public final class Session implements AutoCloseable {
        private NFAState state;
        private SharedBufferAccessor<EnrichedEvent> accessor;

        private Session(NFAState state) {
            this.state = state;
            this.accessor = buffer.getAccessor();
        }

        /** Feeds one event; returns completed matches (step name → events). */
        public Collection<Map<String, List<EnrichedEvent>>> process(
                EnrichedEvent event, long timestamp) throws Exception {
            return nfa.process(accessor, state, event, timestamp, SKIP, System::currentTimeMillis);
        }

        /**
         * Declares that no event older than {@code timestamp} will come: expires partial matches
         * and returns matches that completed by absence (a negated last step).
         */
        public Collection<Map<String, List<EnrichedEvent>>> advanceTime(long timestamp)
                throws Exception {
            Tuple2<
                            Collection<Map<String, List<EnrichedEvent>>>,
                            Collection<Tuple2<Map<String, List<EnrichedEvent>>, Long>>>
                    result = nfa.advanceTime(accessor, state, timestamp, SKIP);
            return new ArrayList<>(result.f0);
        }

        /**
         * Forgets every partial match of the rule for this key, so that the events of one alert
         * cannot raise it again.
         */
        public void reset() throws Exception {
            accessor.close();
            clearCurrentKey();
            state = nfa.createInitialNFAState();
            accessor = buffer.getAccessor();
        }

        /** Partial matches that hold at least one event. */
        public int partialMatches() {
            int count = 0;
            for (ComputationState computation : state.getPartialMatches()) {
                if (computation.getPreviousBufferEntry() != null) {
                    count++;
                }
            }
            return count;
        }

        /** True when the NFA is back at its start: nothing of this key needs keeping. */
        public boolean idle() {
            return partialMatches() == 0 && state.getCompletedMatches().isEmpty();
        }

        /**
         * Writes the state back; when idle, removes every trace of the rule for this key (including
         * shared-buffer counters the NFA itself would keep until a later event).
         */
        @Override
        public void close() throws Exception {
            accessor.close();
            if (idle()) {
                clearCurrentKey();
            } else if (state.isStateChanged()) {
                state.resetStateChanged();
                state.resetNewStartPartialMatch();
                nfaState.update(state);
            }
        }
    }

    /** Removes all of the rule's state for the current key. */
    public void clearCurrentKey() {
        store.clearAll();
    }
}
