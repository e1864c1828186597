package org.mandos.distribution.paxexam;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.junit.AssumptionViolatedException;
import org.junit.Test;
import org.junit.runner.Description;
import org.junit.runner.Runner;
import org.junit.runner.notification.Failure;
import org.junit.runner.notification.RunNotifier;
import org.junit.runners.model.InitializationError;
import org.ops4j.pax.exam.junit.PaxExam;

/**
 * {@link PaxExam}, but only where the reference Mandos tools are installed: elsewhere every test is
 * skipped with a visible message, or fails when {@link RealTools#required()} (CI).
 *
 * <p>The decision has to be made here, outside the framework: an assumption that fails inside the
 * probe is swallowed by Pax Exam's JUnit invoker (JUnitCore does not count it as a failure), so the
 * test would pass without having run. Deciding first also saves starting a framework for nothing.
 */
public final class PaxExamWithRealTools extends Runner {

    private final Runner exam;
    private final String missing;
    private final Description description;
    private final List<Description> tests = new ArrayList<>();

    public PaxExamWithRealTools(Class<?> testClass) throws InitializationError {
        missing = RealTools.missing();
        if (missing == null) {
            exam = new PaxExam(testClass);
            description = exam.getDescription();
        } else {
            exam = null;
            description = Description.createSuiteDescription(testClass);
            for (Method m : testClass.getMethods()) {
                if (m.isAnnotationPresent(Test.class)) {
                    Description test = Description.createTestDescription(testClass, m.getName());
                    description.addChild(test);
                    tests.add(test);
                }
            }
        }
    }

    @Override
    public Description getDescription() {
        return description;
    }

    @Override
    public void run(RunNotifier notifier) {
        if (exam != null) {
            exam.run(notifier);
            return;
        }
        for (Description test : tests) {
            notifier.fireTestStarted(test);
            if (RealTools.required()) {
                notifier.fireTestFailure(new Failure(test, new AssertionError(missing + "; they are required under CI")));
            } else {
                System.err.println("SKIPPED interoperability test " + test.getDisplayName() + ": " + missing);
                notifier.fireTestAssumptionFailed(new Failure(test, new AssumptionViolatedException(missing)));
            }
            notifier.fireTestFinished(test);
        }
    }
}
