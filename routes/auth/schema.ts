import Joi from 'joi';

export const loginSchema = Joi.object({
  username: Joi.string().trim().lowercase().max(64).required(),
  password: Joi.string().max(256).required(),
}).required();

export interface LoginInput {
  username: string;
  password: string;
}
