package dev.alloplace.protocol;

/**
 * A hand's grab of an entity.
 *
 * @param entity id of the grabbed entity
 * @param grabberFromEntityTransform 16 numbers, column-major: the entity's pose in the hand's frame
 */
public record Grab(String entity, double[] grabberFromEntityTransform) {
    public Grab {
        grabberFromEntityTransform = grabberFromEntityTransform.clone();
    }

    @Override
    public double[] grabberFromEntityTransform() {
        return grabberFromEntityTransform.clone();
    }
}
